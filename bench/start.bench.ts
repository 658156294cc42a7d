// Cold start: from launching `serve` to the first complete cycle of a 20-host simulated fleet
// (every host's first snapshot with its VMs), the simulator running in its own process and the
// data dir it wrote (hosts.json + trusted host keys) used as is. Median of BENCH_START_RUNS.
import { WebSocket } from 'ws';
import type { HostSnapshot } from '../src/shared/model/metrics';
import { createClient } from '../src/shared/rpc/client';
import { webSocketClientTransport } from '../src/renderer/api/ws-transport';
import type { Figure } from './lib/figures';
import { median } from './lib/figures';
import { requireBuild, startSimChild } from './lib/sim-child';
import { startServeChild } from './lib/serve-child';

const HOSTS = 20;
const VMS = Number(process.env.BENCH_VMS ?? 50);
const RUNS = Number(process.env.BENCH_START_RUNS ?? 3);

/** Starts serve, waits for every host's first complete snapshot; returns ms since the spawn. */
async function oneStart(dataDir: string): Promise<{ firstCycleMs: number; urlMs: number }> {
  const t0 = performance.now();
  const served = await startServeChild(dataDir);
  try {
    const u = new URL(served.url);
    const socket = new WebSocket(`ws://${u.host}/rpc?token=${u.searchParams.get('token') ?? ''}`);
    const client = createClient(webSocketClientTransport(socket));
    const complete = (s: HostSnapshot) => s.host !== null && s.vms.length === VMS;
    const deadline = Date.now() + 60_000;
    for (;;) {
      const latest = await client.call('metrics.latest', {});
      if (latest.filter(complete).length === HOSTS) break;
      if (Date.now() > deadline) throw new Error(`only ${latest.filter(complete).length} of ${HOSTS} hosts in 60 s`);
      await new Promise((r) => setTimeout(r, 10));
    }
    const firstCycleMs = performance.now() - t0;
    client.close();
    socket.close();
    return { firstCycleMs, urlMs: served.urlMs };
  } finally {
    await served.stop();
  }
}

export async function run(): Promise<Figure[]> {
  const missing = requireBuild();
  if (missing) {
    process.stderr.write(`start bench skipped: ${missing}\n`);
    return [];
  }
  const sim = await startSimChild(['--hosts', String(HOSTS), '--vms', String(VMS), '--no-incidents']);
  try {
    const runs: { firstCycleMs: number; urlMs: number }[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await oneStart(sim.dir));
    process.stderr.write(
      `start bench: ${HOSTS} hosts × ${VMS} VMs; first complete cycle ${runs.map((r) => Math.round(r.firstCycleMs)).join(' ')} ms, ` +
        `URL printed ${runs.map((r) => Math.round(r.urlMs)).join(' ')} ms\n`,
    );
    return [
      {
        name: 'start.first_cycle_ms',
        value: median(runs.map((r) => r.firstCycleMs)),
        unit: 'ms',
        target: 3000,
        baseline: null,
      },
    ];
  } finally {
    await sim.stop();
  }
}
