// Draws one off-screen 24 h chart (then throws it away) while the app is idle, so that the first
// VM or host page opened does not also pay for compiling ECharts' drawing code (V8 compiles a
// function on its first call; the first navigation to a VM handled its series in ~115 ms, later
// ones in ~50).
import { echarts } from './echarts-setup';
import { seriesChartOption } from './series-option';
import type { SeriesResult } from '../../shared/model/history';

/** A day of one-minute points, as a 24 h chart gets them (band included: a single line). */
function sampleDay(now: number): SeriesResult {
  const ts: number[] = [];
  const avg: number[] = [];
  const min: number[] = [];
  const max: number[] = [];
  for (let i = 0; i < 1440; i++) {
    const v = 50 + 40 * Math.sin(i / 90);
    ts.push(now - (1440 - i) * 60_000);
    avg.push(v);
    min.push(v - 5);
    max.push(v + 5);
  }
  return { tier: '1m', stepSec: 60, ts, avg, min, max };
}

export function warmUpCharts(): void {
  const el = document.createElement('div');
  const now = Date.now();
  const chart = echarts.init(el, 'dark', { renderer: 'canvas', width: 560, height: 220 });
  try {
    const day = sampleDay(now);
    chart.setOption({
      backgroundColor: 'transparent',
      ...seriesChartOption('', [{ name: 'warm-up', data: day }], 'pct', now - 86_400_000, now),
    });
    chart.setOption(
      seriesChartOption(
        '',
        [
          { name: 'a', data: day },
          { name: 'b', data: day },
        ],
        'bytesPerSec',
        now - 86_400_000,
        now,
      ),
      true,
    );
  } finally {
    chart.dispose();
  }
}
