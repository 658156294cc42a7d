// Evaluation time of the shipped rules over 10,000 VMs (200 hosts × 50) when every host's cycle
// arrives at once: the worst case of one evaluation. Exports run() for the bench runner.
import { performance } from 'node:perf_hooks';
import type { HostSnapshot, VmFigures } from '../src/shared/model/metrics';
import { DEFAULT_RULES } from '../src/main/warn/default-rules';
import { emptyState } from '../src/main/warn/eval-state';
import type { HostObservation, World } from '../src/main/warn/eval-state';
import { evaluate } from '../src/main/warn/evaluator';
import { vmFigures } from '../test/helpers/snapshots';
import { median } from './lib/figures';
import type { Figure } from './lib/figures';

const HOSTS = 200;
const VMS_PER_HOST = 50;
const WARMUP = 30;
const CYCLES = 150;

/** Per VM, what stays the same from cycle to cycle (the collector reuses these strings too). */
const BASE = Array.from({ length: HOSTS * VMS_PER_HOST }, (_, i) => vmFigures(i, 0));

/** One cycle of every host: fresh figure objects, as the collector makes each cycle. */
function world(t: number): World {
  const hosts: HostObservation[] = [];
  for (let h = 0; h < HOSTS; h++) {
    const ts = t * 10_000;
    const vms: VmFigures[] = [];
    for (let v = 0; v < VMS_PER_HOST; v++) {
      const i = h * VMS_PER_HOST + v;
      const base = BASE[i] as VmFigures;
      const wave = Math.abs(Math.sin(t / 60 + i * 0.37));
      // a realistic mix: mostly busy-ish, one in ten idle (pending idle-vm), a few hot, a few off
      vms.push(
        i % 10 === 0
          ? { ...base, cpuPct: 2, memPct: 20, netRxBps: 100, netTxBps: 100 }
          : i % 97 === 0
            ? { ...base, cpuPct: 99, memPct: 95, netRxBps: 9e6 }
            : i % 53 === 0
              ? { ...base, state: 'shut off', cpuPct: 0 }
              : { ...base, cpuPct: 20 + wave * 60, stealPct: wave * 4, netRxBps: wave * 1e6 },
      );
    }
    const snapshot: HostSnapshot = { hostId: `h${h}`, ts, host: null, vms, warnings: [], cycleMs: 5 };
    hosts.push({
      id: `h${h}`,
      name: `hv-${h}`,
      status: 'ok',
      reason: null,
      lastSeen: ts,
      watchedSince: 0,
      intervalSec: 10,
      timeoutSec: 5,
      enabled: true,
      snapshot,
    });
  }
  return { hosts, silences: [], maintenance: [], shouldRun: () => false, userAction: () => null };
}

export async function run(): Promise<Figure[]> {
  const state = emptyState();
  const times: number[] = [];
  let transitions = 0;
  for (let c = 0; c < WARMUP + CYCLES; c++) {
    const w = world(c + 1); // built outside the timing: the collector has these objects already
    // no forced GC here: measured, a full collection before each timing made it slower and noisier
    const t0 = performance.now();
    transitions += evaluate(DEFAULT_RULES, state, w, (c + 1) * 10_000).length;
    const dt = performance.now() - t0;
    if (c >= WARMUP) times.push(dt);
  }
  process.stderr.write(
    `warn: ${HOSTS * VMS_PER_HOST} VMs × ${DEFAULT_RULES.length} rules, ${transitions} transitions over ${WARMUP + CYCLES} cycles\n`,
  );
  return Promise.resolve([
    { name: 'warn.eval_ms', value: median(times), unit: 'ms', target: 10, baseline: null },
    {
      name: 'warn.eval_p95_ms',
      value: [...times].sort((a, b) => a - b)[Math.floor(times.length * 0.95)] ?? NaN,
      unit: 'ms',
      target: null,
      baseline: null,
    },
  ]);
}
