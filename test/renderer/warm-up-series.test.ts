// The series the idle warm-up of the VM detail draws: shaped like the store's answer.
import { describe, expect, it } from 'vitest';
import { warmUpSeries } from '../../src/renderer/charts/warm-up-series';
import { seriesChartOption } from '../../src/renderer/charts/series-option';
import { VM_CHARTS } from '../../src/renderer/charts/chart-specs';
import { VM_DETAIL_METRICS } from '../../src/shared/model/vm-detail';

const NOW = 1_800_000_000_000;
const DAY = 86_400_000;

describe('warm-up series', () => {
  it('is a one-minute-tier answer in whole-minute buckets that fills the points asked for', () => {
    const s = warmUpSeries(NOW - DAY, NOW, 480);
    expect(s.tier).toBe('1m');
    expect(s.stepSec).toBe(180);
    expect(s.ts.length).toBeLessThanOrEqual(480);
    expect(s.ts.length).toBeGreaterThanOrEqual(479);
    expect([s.avg.length, s.min.length, s.max.length]).toEqual([s.ts.length, s.ts.length, s.ts.length]);
    s.ts.forEach((t, i) => {
      expect(t).toBeGreaterThanOrEqual(NOW - DAY);
      expect(t).toBeLessThan(NOW);
      if (i) expect(t - (s.ts[i - 1] as number)).toBe(180_000);
      expect(s.min[i] as number).toBeLessThanOrEqual(s.avg[i] as number);
      expect(s.avg[i] as number).toBeLessThanOrEqual(s.max[i] as number);
    });
  });

  it('never gives more points than asked, nor a step under a minute', () => {
    const short = warmUpSeries(NOW - 900_000, NOW, 1500);
    expect(short.stepSec).toBe(60);
    expect(short.ts.length).toBeLessThanOrEqual(15);
    for (const points of [1, 300, 599, 1500])
      expect(warmUpSeries(NOW - DAY, NOW, points).ts.length).toBeLessThanOrEqual(points);
  });

  it('draws as a real rolled-up answer does: a single line gets its min–max band', () => {
    const s = warmUpSeries(NOW - DAY, NOW, 600);
    expect(seriesChartOption('m', [{ name: 'memory', data: s }], 'pct', NOW - DAY, NOW).series).toHaveLength(3);
    const two = [
      { name: 'rx', data: s },
      { name: 'tx', data: warmUpSeries(NOW - DAY, NOW, 600, 1) },
    ];
    expect(seriesChartOption('n', two, 'bytesPerSec', NOW - DAY, NOW).series).toHaveLength(2);
  });

  it('covers the series the core warms up for the VM detail, in the order the page asks', () => {
    expect(VM_CHARTS.flatMap((c) => c.lines.map((l) => l.metric))).toEqual([...VM_DETAIL_METRICS]);
  });
});
