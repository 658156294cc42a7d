// Pure builders of ECharts options for history charts: tuned for big series (LTTB sampling,
// no symbols, no animation), min–max band plus average line, colours for the dark or light theme.
import { format } from 'echarts/core';
import { formatCount, formatPct, formatRate } from '../../shared/format/units';
import type { SeriesResult } from '../../shared/model/history';

export type ValueKind = 'pct' | 'bytesPerSec' | 'count';

export interface ChartLine {
  name: string;
  data: SeriesResult;
}

export function formatAxisValue(v: number, kind: ValueKind): string {
  if (kind === 'pct') return `${Math.round(v)} %`;
  if (kind === 'bytesPerSec') {
    const units = ['B/s', 'KiB/s', 'MiB/s', 'GiB/s'];
    let x = Math.abs(v);
    let i = 0;
    while (x >= 1024 && i < units.length - 1) {
      x /= 1024;
      i++;
    }
    return `${x >= 10 || i === 0 ? Math.round(x) : x.toFixed(1)} ${units[i]}`;
  }
  return String(Math.round(v * 100) / 100);
}

export type ChartTheme = 'dark' | 'light';

interface ChartPalette {
  lines: readonly string[];
  title: string;
  legend: string;
  axis: string;
  split: string;
  selection: string;
  /** The tooltip's box and text. */
  tip: { background: string; border: string; text: string };
}

export const CHART_PALETTES: Record<ChartTheme, ChartPalette> = {
  dark: {
    lines: ['#63e2b7', '#70c0e8', '#f2c97d', '#e88080'],
    title: '#d0d0d8',
    legend: '#b8b8c4',
    axis: '#8a8a99',
    split: '#2a2a33',
    selection: 'rgba(112, 192, 232, 0.25)',
    tip: { background: '#26262e', border: '#3a3a46', text: '#d0d0d8' },
  },
  light: {
    lines: ['#18a058', '#2080f0', '#d48806', '#d03050'],
    title: '#1f2225',
    legend: '#4a4a55',
    axis: '#5c5c6b',
    split: '#e4e4ea',
    selection: 'rgba(32, 128, 240, 0.18)',
    tip: { background: '#ffffff', border: '#e4e4ea', text: '#1f2225' },
  },
};

/**
 * A line's points as ECharts takes them fastest: one flat typed array of x, y pairs (no array
 * per point to allocate and read back), a missing value as NaN (a gap: never bridged).
 */
export function linePoints(ts: readonly number[], value: (i: number) => number | null | undefined): Float64Array {
  const out = new Float64Array(ts.length * 2);
  for (let i = 0; i < ts.length; i++) {
    const v = value(i);
    out[2 * i] = ts[i] as number;
    out[2 * i + 1] = v ?? NaN;
  }
  return out;
}

const BAND_SERIES = new Set(['min', 'max']);

/** A value as the tooltip shows it, in the console's formats ('–' when there is none). */
export function formatTipValue(v: number, kind: ValueKind): string {
  if (kind === 'pct') return formatPct(v, 1);
  if (kind === 'bytesPerSec') return formatRate(v);
  return formatCount(v, 2);
}

interface TipParam {
  seriesName?: string;
  marker?: unknown;
  value?: unknown;
  axisValueLabel?: string;
}
const yOf = (p: TipParam | undefined): number => {
  const v = p?.value;
  return Array.isArray(v) || ArrayBuffer.isView(v) ? Number((v as ArrayLike<number>)[1]) : Number(v);
};
const escapeHtml = format.encodeHTML;

/**
 * The axis tooltip: each line's value rounded in its unit and, where the chart has a min–max
 * band, the bucket's range (the band's stacked series hold min and max − min, never shown as such).
 */
export function tooltipHtml(params: readonly TipParam[], kind: ValueKind): string {
  const lo = params.find((p) => p.seriesName === 'min');
  const span = params.find((p) => p.seriesName === 'max');
  const rows = params
    .filter((p) => !BAND_SERIES.has(p.seriesName ?? ''))
    .map((p) => {
      let text = formatTipValue(yOf(p), kind);
      if (lo && span && Number.isFinite(yOf(lo)) && Number.isFinite(yOf(span)))
        text += ` (${formatTipValue(yOf(lo), kind)} – ${formatTipValue(yOf(lo) + yOf(span), kind)})`;
      return `${typeof p.marker === 'string' ? p.marker : ''}${escapeHtml(p.seriesName ?? '')}: <b>${text}</b>`;
    });
  return [escapeHtml(params[0]?.axisValueLabel ?? ''), ...rows].join('<br/>');
}

/** One chart: per line an average (and for a single line, its min–max band). */
export function seriesChartOption(
  title: string,
  lines: readonly ChartLine[],
  kind: ValueKind,
  fromMs: number,
  toMs: number,
  theme: ChartTheme = 'dark',
) {
  const palette = CHART_PALETTES[theme];
  const band = lines.length === 1 && lines[0] !== undefined && lines[0].data.tier !== 'raw';
  const series: object[] = [];
  lines.forEach((line, k) => {
    const color = palette.lines[k % palette.lines.length];
    const { ts, avg, min, max } = line.data;
    series.push({
      name: line.name,
      type: 'line',
      data: linePoints(ts, (i) => avg[i]),
      // symbols only while a series is short enough for single points to matter
      showSymbol: ts.length <= 60,
      symbolSize: 4,
      sampling: 'lttb',
      connectNulls: false,
      // a hairline: canvas' cheapest stroke (docs/ui.md, "second pass")
      lineStyle: { width: 1, color },
      itemStyle: { color },
    });
    if (band) {
      // stacked band: the min as an invisible base, (max − min) filled on top of it
      series.push(
        {
          name: 'min',
          type: 'line',
          data: linePoints(ts, (i) => min[i]),
          stack: 'band',
          lineStyle: { opacity: 0 },
          showSymbol: false,
          silent: true,
        },
        {
          name: 'max',
          type: 'line',
          data: linePoints(ts, (i) => {
            const lo = min[i];
            const hi = max[i];
            return lo == null || hi == null ? null : hi - lo;
          }),
          stack: 'band',
          lineStyle: { opacity: 0 },
          areaStyle: { color, opacity: 0.15 },
          showSymbol: false,
          silent: true,
        },
      );
    }
  });
  return {
    animation: false,
    title: { text: title, left: 8, top: 4, textStyle: { fontSize: 13, color: palette.title, fontWeight: 500 } },
    grid: { left: 64, right: 16, top: 32, bottom: 28 },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'line' },
      className: 'vd-chart-tip',
      backgroundColor: palette.tip.background,
      borderColor: palette.tip.border,
      textStyle: { color: palette.tip.text, fontSize: 12 },
      formatter: (params: TipParam | TipParam[]) => tooltipHtml(Array.isArray(params) ? params : [params], kind),
    },
    legend: lines.length > 1 ? { right: 12, top: 4, textStyle: { color: palette.legend } } : undefined,
    xAxis: { type: 'time', min: fromMs, max: toMs, axisLabel: { color: palette.axis } },
    yAxis: {
      type: 'value',
      min: 0,
      minInterval: kind === 'pct' ? undefined : 1,
      max: kind === 'pct' ? (v: { max: number }) => Math.max(100, Math.ceil(v.max)) : undefined,
      axisLabel: { color: palette.axis, formatter: (v: number) => formatAxisValue(v, kind) },
      splitLine: { lineStyle: { color: palette.split } },
    },
    series,
  };
}
