// Diagnostic, not a suite: where a steady-state history write's time goes. Drives HistoryStore
// as store.bench does (a week prefilled, an hour to fill the head, then the hour in which every
// host seals), CPU-profiles only the writes of the measured hour and prints self time by
// function and by source file, beside the write times. `npx tsx bench/store-profile.ts`
// (BENCH_VMS=2000 by default; PROFILE_OUT=file.cpuprofile also saves the profile; PROFILE=0
// only times the writes, without the profiler's overhead).
import { rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { HistoryStore } from '../src/main/store/history-store';
import { snapshot } from '../test/helpers/snapshots';
import { tempDir } from '../test/helpers/temp';
import { prefill } from './store.bench';

const VMS = Number(process.env.BENCH_VMS ?? 2000);
const PER_HOST = 50;
const HOSTS = Math.ceil(VMS / PER_HOST);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

async function main(): Promise<void> {
  const dir = tempDir('store-profile');
  process.on('exit', () => rmSync(dir, { recursive: true, force: true })); // ~12 GB at full size, also on a failure
  const path = join(dir, 'history.db');
  let nowMs = Date.UTC(2026, 10, 20, 0, 0, 0);
  const store = new HistoryStore({ path, now: () => nowMs, backgroundCheckpoint: true });
  const hosts = Array.from({ length: HOSTS }, (_, h) => `host-${h}`);
  for (const [h, id] of hosts.entries()) store.write(snapshot(id, nowMs, PER_HOST, h * PER_HOST));
  prefill(store, Math.floor(nowMs / 1000));
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  const cycle = () => hosts.map((id, h) => ({ snapshot: snapshot(id, nowMs, PER_HOST, h * PER_HOST) }));
  for (let c = 1; c < 360; c++) {
    nowMs += 10_000;
    store.writeBatch(cycle());
  }
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  const ms: number[] = [];
  let profiling = 0;
  const profiled = process.env.PROFILE !== '0';
  // without the profiler, wall time of the write's phases (the store's own methods, wrapped)
  const phaseMs = new Map<string, number>();
  if (!profiled) {
    const methods = store as unknown as Record<string, (...a: unknown[]) => unknown>;
    for (const name of ['insertCycle', 'sealAfter', 'freeSpace']) {
      const f = methods[name] as (...a: unknown[]) => unknown;
      methods[name] = function (this: unknown, ...a: unknown[]) {
        const t0 = performance.now();
        try {
          return f.apply(this, a);
        } finally {
          phaseMs.set(name, (phaseMs.get(name) ?? 0) + performance.now() - t0);
        }
      };
    }
  }
  if (profiled) await session.post('Profiler.start');
  for (let c = 1; c <= 360; c++) {
    nowMs += 10_000;
    const batch = cycle();
    const t0 = performance.now();
    store.writeBatch(batch);
    const dt = performance.now() - t0;
    ms.push(dt);
    profiling += dt;
  }
  const { profile } = profiled
    ? ((await session.post('Profiler.stop')) as { profile: Profile })
    : { profile: { nodes: [], samples: [], timeDeltas: [] } };
  if (process.env.PROFILE_OUT) writeFileSync(process.env.PROFILE_OUT, JSON.stringify(profile));
  store.close();

  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const byFn = new Map<string, number>();
  const byFile = new Map<string, number>();
  for (const [id, t] of self) {
    const n = byId.get(id) as ProfileNode;
    const file = n.callFrame.url.replace(/^.*\/(src|bench|test|node_modules)\//, '$1/') || '(native)';
    const fn = `${n.callFrame.functionName || '(anonymous)'} ${file}:${n.callFrame.lineNumber + 1}`;
    byFn.set(fn, (byFn.get(fn) ?? 0) + t);
    byFile.set(file, (byFile.get(file) ?? 0) + t);
  }
  // inclusive time under the store's phases (outermost occurrence only)
  const phases = (
    process.env.PHASES ??
    'writeBatch,insertCycle,sealAfter,sealStep,freeSpace,encodeHeadRow,encodeColumns,mergeRaw,putAgg,bucketize,insert,run,transaction'
  ).split(',');
  const incl = new Map<string, number>();
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  for (const [id, t] of self) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = (byId.get(at) as ProfileNode).callFrame.functionName;
      if (phases.includes(name) && !seen.has(name)) {
        seen.add(name);
        incl.set(name, (incl.get(name) ?? 0) + t);
      }
    }
  }
  const sorted = [...ms].sort((a, b) => a - b);
  const out: string[] = [
    `${HOSTS} hosts × ${PER_HOST} VMs, 360 writes: median ${sorted[180]?.toFixed(1)} ms, mean ${(profiling / 360).toFixed(1)}, p95 ${sorted[342]?.toFixed(1)}, max ${sorted[359]?.toFixed(1)}`,
    'self ms per write, by file:',
  ];
  for (const [f, t] of [...byFile].sort((a, b) => b[1] - a[1]).slice(0, 15))
    out.push(`  ${(t / 360).toFixed(2).padStart(7)}  ${f}`);
  if (!profiled) {
    const inside = [...phaseMs.values()].reduce((a, b) => a + b, 0);
    out.push('wall ms per write, by phase (commit and the rest: what the phases leave):');
    for (const [p, t] of phaseMs) out.push(`  ${(t / 360).toFixed(2).padStart(7)}  ${p}`);
    out.push(`  ${((profiling - inside) / 360).toFixed(2).padStart(7)}  commit and the rest`);
  }
  out.push('inclusive ms per write, by phase:');
  for (const p of phases) out.push(`  ${((incl.get(p) ?? 0) / 360).toFixed(2).padStart(7)}  ${p}`);
  out.push('self ms per write, by function:');
  for (const [f, t] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, 30))
    out.push(`  ${(t / 360).toFixed(2).padStart(7)}  ${f}`);
  process.stdout.write(`${out.join('\n')}\n`);
}

void main();
