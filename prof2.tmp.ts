import { performance } from 'node:perf_hooks';
import { DEFAULT_RULES } from './src/main/warn/default-rules';
import { emptyState } from './src/main/warn/eval-state';
import { evaluate } from './src/main/warn/evaluator';
import { vmFigures } from './test/helpers/snapshots';
import type { VmFigures } from './src/shared/model/metrics';
const BASE = Array.from({ length: 10000 }, (_, i) => vmFigures(i, 0));
function world(t: number) {
  const hosts = [];
  for (let h = 0; h < 200; h++) {
    const ts = t * 10_000;
    const vms: VmFigures[] = [];
    for (let v = 0; v < 50; v++) vms.push({ ...(BASE[h * 50 + v] as VmFigures), cpuPct: 30 });
    hosts.push({ id: `h${h}`, name: `hv-${h}`, status: 'ok' as const, reason: null, lastSeen: ts, watchedSince: 0, intervalSec: 10, timeoutSec: 5, enabled: true, snapshot: { hostId: `h${h}`, ts, host: null, vms, warnings: [], cycleMs: 5 } });
  }
  return { hosts, silences: [], maintenance: [], shouldRun: () => false, userAction: () => null };
}
const gc = (globalThis as { gc?: () => void }).gc;
for (const r of [[], ...DEFAULT_RULES.map((x) => [x]), DEFAULT_RULES]) {
  const st = emptyState(); const times: number[] = [];
  for (let c = 1; c < 50; c++) { const w = world(c); gc?.(); const t0 = performance.now(); evaluate(r as never, st, w, c * 10_000); if (c > 10) times.push(performance.now() - t0); }
  times.sort((a, b) => a - b);
  console.log((r.length > 1 ? 'ALL' : (r[0]?.id ?? 'none')).padEnd(20), times[Math.floor(times.length / 2)]?.toFixed(2));
}
