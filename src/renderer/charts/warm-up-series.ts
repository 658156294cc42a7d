// What the idle warm-up of the VM detail (DetailWarmUp.vue) draws instead of asking the core:
// series shaped like the store's answer to the same call (rolled-up minutes bucketed to fit the
// points asked for, with min and max), so that ECharts runs exactly the code a real 24 h chart
// runs. Never shown: the warm-up is off-screen and thrown away once drawn.
import type { SeriesResult } from '../../shared/model/history';

/** The answer's shape for [from, to) in at most maxPoints points: one-minute tier, whole-minute steps. */
export function warmUpSeries(fromMs: number, toMs: number, maxPoints: number, phase = 0): SeriesResult {
  const spanSec = Math.max(60, Math.floor((toMs - fromMs) / 1000));
  const points = Math.max(1, Math.floor(maxPoints));
  const stepSec = Math.ceil(spanSec / points / 60) * 60;
  const n = Math.min(points, Math.floor(spanSec / stepSec));
  const first = Math.ceil(fromMs / (stepSec * 1000)) * stepSec * 1000;
  const ts: number[] = [];
  const avg: number[] = [];
  const min: number[] = [];
  const max: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = first + i * stepSec * 1000;
    if (t >= toMs) break;
    const v = 40 + 30 * Math.sin(i / 40 + phase) + 10 * Math.sin(i / 3);
    ts.push(t);
    avg.push(v);
    min.push(v - 4 - (i % 5));
    max.push(v + 4 + (i % 7));
  }
  return { tier: '1m', stepSec, ts, avg, min, max };
}
