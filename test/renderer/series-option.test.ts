// The chart option builder: tuned for big series, a band only where min/max differ from avg.
import { describe, expect, it } from 'vitest';
import {
  CHART_PALETTES,
  formatAxisValue,
  formatTipValue,
  linePoints,
  seriesChartOption,
  tooltipHtml,
} from '../../src/renderer/charts/series-option';
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
      series: { type: string; showSymbol: boolean; sampling: string; connectNulls: boolean; data: Float64Array }[];
    };
    expect(o.animation).toBe(false);
    expect(o.series).toHaveLength(1); // raw: min = max = avg, no band
    expect(o.series[0]).toMatchObject({ type: 'line', showSymbol: true, sampling: 'lttb', connectNulls: false });
    const long = { ...result('raw'), ts: Array.from({ length: 500 }, (_, i) => i), avg: Array(500).fill(1) };
    const o2 = seriesChartOption('CPU', [{ name: 'cpu', data: long }], 'pct', 0, 500) as {
      series: { showSymbol: boolean }[];
    };
    expect(o2.series[0]?.showSymbol).toBe(false);
    // x, y pairs in one typed array, a missing value a NaN gap
    expect(o.series[0]?.data).toBeInstanceOf(Float64Array);
    expect(Array.from(o.series[0]?.data ?? [])).toEqual([0, 1, 60_000, NaN, 120_000, 3]);
  });

  it('adds a min–max band for rolled-up data of a single line', () => {
    const o = seriesChartOption('Mem', [{ name: 'mem', data: result('1m') }], 'pct', 0, 1) as {
      series: { name: string; data: Float64Array }[];
    };
    expect(o.series.map((s) => s.name)).toEqual(['mem', 'min', 'max']);
    const ys = (d: Float64Array | undefined) => Array.from(d ?? []).filter((_, i) => i % 2 === 1);
    expect(ys(o.series[1]?.data)).toEqual([0.5, NaN, 2]);
    expect(ys(o.series[2]?.data)).toEqual([1.5, NaN, 2]); // max − min, stacked on min
  });

  it('lays points out as x, y pairs with NaN for what is missing', () => {
    expect(Array.from(linePoints([5, 6], (i) => (i ? undefined : 7)))).toEqual([5, 7, 6, NaN]);
    expect(linePoints([], () => 1)).toHaveLength(0);
  });

  it('draws every line as a hairline', () => {
    const o = seriesChartOption('CPU', [{ name: 'cpu', data: result('1m') }], 'pct', 0, 1) as {
      series: { lineStyle: { width?: number; opacity?: number } }[];
    };
    expect(o.series[0]?.lineStyle.width).toBe(1);
  });

  it('rounds tooltip values in their unit and shows a band as its min – max', () => {
    expect(formatTipValue(69.92661234, 'pct')).toBe('69.9 %');
    expect(formatTipValue(NaN, 'pct')).toBe('–');
    expect(formatTipValue(3.14159, 'count')).toBe('3.14');
    const html = tooltipHtml(
      [
        { seriesName: 'mem', marker: '•', value: [0, 42.123], axisValueLabel: '2026-12-03 10:00' },
        { seriesName: 'min', value: [0, 40.04] },
        { seriesName: 'max', value: [0, 5.5] },
      ],
      'pct',
    );
    expect(html).toBe('2026-12-03 10:00<br/>•mem: <b>42.1 % (40.0 % – 45.5 %)</b>');
    expect(tooltipHtml([{ seriesName: '<x>', value: new Float64Array([0, 1536]) }], 'bytesPerSec')).toBe(
      '<br/>&lt;x&gt;: <b>1.5 KiB/s</b>',
    );
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
      tooltip: { backgroundColor: string; textStyle: { color: string } };
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
    // a dark tooltip on dark charts, a light one on light charts
    expect(dark.tooltip.backgroundColor).toBe(CHART_PALETTES.dark.tip.background);
    expect(light.tooltip.textStyle.color).toBe(CHART_PALETTES.light.tip.text);
    expect(dark.tooltip.backgroundColor).not.toBe(light.tooltip.backgroundColor);
  });
});
