// Where the collector's memory goes: `npx tsx --expose-gc bench/collector-memory.ts` (or
// `node --expose-gc --import tsx …`) runs the real HostCollectors against the simulated fleet
// (its own process, from out/) and prints, per cycle and after forced GCs, RSS, heap, external
// and array-buffer memory and V8's heap spaces; with SNAPSHOT=file it writes a heap snapshot
// after the last GC and lists what the live heap is made of, and how many big strings (a
// domstats output is ~90 KB) are still alive. BENCH_HOSTS / BENCH_VMS / BENCH_CYCLES scale it.
import { readFileSync } from 'node:fs';
import v8 from 'node:v8';
import { requireBuild, startSimChild } from './lib/sim-child';
import { simCollectors } from './lib/sim-collectors';

const HOSTS = Number(process.env.BENCH_HOSTS ?? 200);
const VMS = Number(process.env.BENCH_VMS ?? 50);
const CYCLES = Number(process.env.BENCH_CYCLES ?? 3);
const mb = (n: number) => Math.round(n / 2 ** 20);

function report(label: string): void {
  const m = process.memoryUsage();
  const spaces = v8
    .getHeapSpaceStatistics()
    .filter((s) => s.space_size > 0)
    .map((s) => `${s.space_name.replace('_space', '')} ${mb(s.space_used_size)}/${mb(s.space_size)}`)
    .join(', ');
  process.stdout.write(
    `${label.padEnd(14)} RSS ${mb(m.rss)} MB, heap used ${mb(m.heapUsed)} of ${mb(m.heapTotal)}, ` +
      `external ${mb(m.external)} (array buffers ${mb(m.arrayBuffers)}); spaces used/size: ${spaces}\n`,
  );
}

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
  strings: string[];
}

/** Self size by node type (objects by constructor), and the strings over 20 KB. */
function summarise(file: string): void {
  const s = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const fields = s.snapshot.meta.node_fields;
  const types = s.snapshot.meta.node_types[0];
  const [iType, iName, iSize] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [number, number, number];
  const bySort = new Map<string, { bytes: number; count: number }>();
  let bigStrings = 0;
  let bigBytes = 0;
  for (let i = 0; i < s.nodes.length; i += fields.length) {
    const type = types[s.nodes[i + iType] as number] ?? '?';
    const size = s.nodes[i + iSize] as number;
    const isString = type.endsWith('string');
    if (isString && size > 20_000) {
      bigStrings++;
      bigBytes += size;
    }
    const name = isString ? type : `${type}: ${(s.strings[s.nodes[i + iName] as number] ?? '').slice(0, 50)}`;
    const agg = bySort.get(name) ?? { bytes: 0, count: 0 };
    agg.bytes += size;
    agg.count++;
    bySort.set(name, agg);
  }
  const top = [...bySort].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, 15);
  for (const [name, a] of top)
    process.stdout.write(`${(a.bytes / 2 ** 20).toFixed(1).padStart(7)} MB ${String(a.count).padStart(8)}  ${name}\n`);
  process.stdout.write(`strings over 20 KB: ${bigStrings}, ${(bigBytes / 2 ** 20).toFixed(1)} MB\n`);
}

async function main(): Promise<void> {
  const missing = requireBuild();
  if (missing) throw new Error(missing);
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) process.stdout.write('(no --expose-gc: the after-GC lines are skipped)\n');
  report('idle');
  const sim = await startSimChild(['--hosts', String(HOSTS), '--vms', String(VMS), '--no-incidents']);
  try {
    const { collectors, fleetCycle } = simCollectors(sim);
    await fleetCycle();
    report('first cycle');
    for (let i = 1; i <= CYCLES; i++) {
      await fleetCycle();
      report(`cycle ${i}`);
    }
    if (gc) {
      gc();
      report('after GC');
      for (let i = 1; i <= CYCLES; i++) {
        await fleetCycle();
        report(`again ${i}`);
      }
      gc();
      report('after GC');
    }
    const file = process.env.SNAPSHOT;
    if (file) {
      v8.writeHeapSnapshot(file);
      summarise(file);
    }
    collectors.forEach((c) => c.stop());
  } finally {
    await sim.stop();
  }
}

void main();
