// The chart option builder: tuned for big series, a band only where min/max differ from avg.
import { describe, expect, it } from 'vitest';
import { CHART_PALETTES, formatAxisValue, seriesChartOption } from '../../src/renderer/charts/series-option';
import type { SeriesResult } from '../../src/shared/model/history';

const result = (tier: SeriesResult['tier']): SeriesResult => ({
  tier,
  stepSec: tier === 'raw' ? 0 : 60,
  ts: [0, 60_000, 120_000],
  avg: [1, null, 3],
  min: [0.5, null, 2],
  max: [2, null, 4],
});

describe('seriesChartOption', () => {
  it('draws lines without animation or gap-bridging, sampled with LTTB; symbols only for short series', () => {
    const o = seriesChartOption('CPU', [{ name: 'cpu', data: result('raw') }], 'pct', 0, 120_000) as {
      animation: boolean;
      series: { type: string; showSymbol: boolean; sampling: string; connectNulls: boolean; data: unknown[] }[];
    };
    expect(o.animation).toBe(false);
    expect(o.series).toHaveLength(1); // raw: min = max = avg, no band
    expect(o.series[0]).toMatchObject({ type: 'line', showSymbol: true, sampling: 'lttb', connectNulls: false });
    const long = { ...result('raw'), ts: Array.from({ length: 500 }, (_, i) => i), avg: Array(500).fill(1) };
    const o2 = seriesChartOption('CPU', [{ name: 'cpu', data: long }], 'pct', 0, 500) as {
      series: { showSymbol: boolean }[];
    };
    expect(o2.series[0]?.showSymbol).toBe(false);
    expect(o.series[0]?.data).toEqual([
      [0, 1],
      [60_000, null],
      [120_000, 3],
    ]);
  });

  it('adds a min–max band for rolled-up data of a single line', () => {
    const o = seriesChartOption('Mem', [{ name: 'mem', data: result('1m') }], 'pct', 0, 1) as {
      series: { name: string; data: [number, number | null][] }[];
    };
    expect(o.series.map((s) => s.name)).toEqual(['mem', 'min', 'max']);
    expect(o.series[2]?.data.map((d) => d[1])).toEqual([1.5, null, 2]); // max − min, stacked on min
  });

  it('formats axis values by kind', () => {
    expect(formatAxisValue(42.4, 'pct')).toBe('42 %');
    expect(formatAxisValue(1536, 'bytesPerSec')).toBe('1.5 KiB/s');
    expect(formatAxisValue(5 * 1024 * 1024, 'bytesPerSec')).toBe('5.0 MiB/s');
  });

  it('leaves drag-to-zoom to the component: no brush, no dataZoom panning', () => {
    const o = seriesChartOption('CPU', [{ name: 'cpu', data: result('raw') }], 'pct', 0, 1) as Record<string, unknown>;
    expect(o.brush).toBeUndefined();
    expect(o.dataZoom).toBeUndefined();
  });

  it('colours text, axes and lines for the chosen theme', () => {
    type Themed = {
      title: { textStyle: { color: string } };
      xAxis: { axisLabel: { color: string } };
      yAxis: { splitLine: { lineStyle: { color: string } } };
      series: { lineStyle: { color: string } }[];
    };
    const lines = [{ name: 'cpu', data: result('raw') }];
    const dark = seriesChartOption('CPU', lines, 'pct', 0, 1) as Themed;
    const light = seriesChartOption('CPU', lines, 'pct', 0, 1, 'light') as Themed;
    expect(dark.title.textStyle.color).toBe(CHART_PALETTES.dark.title);
    expect(light.title.textStyle.color).toBe(CHART_PALETTES.light.title);
    expect(light.xAxis.axisLabel.color).toBe(CHART_PALETTES.light.axis);
    expect(light.yAxis.splitLine.lineStyle.color).toBe(CHART_PALETTES.light.split);
    expect(light.series[0]?.lineStyle.color).toBe(CHART_PALETTES.light.lines[0]);
    expect(light.title.textStyle.color).not.toBe(dark.title.textStyle.color);
  });
});
