// Pure builders of ECharts options for history charts: tuned for big series (LTTB sampling,
// no symbols, no animation), min–max band plus average line, shared crosshair via group.
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

const COLORS = ['#63e2b7', '#70c0e8', '#f2c97d', '#e88080'];

/** One chart: per line an average (and for a single line, its min–max band). */
export function seriesChartOption(
  title: string,
  lines: readonly ChartLine[],
  kind: ValueKind,
  fromMs: number,
  toMs: number,
) {
  const band = lines.length === 1 && lines[0] !== undefined && lines[0].data.tier !== 'raw';
  const series: object[] = [];
  lines.forEach((line, k) => {
    const color = COLORS[k % COLORS.length];
    const avg = line.data.ts.map((t, i) => [t, line.data.avg[i] ?? null]);
    series.push({
      name: line.name,
      type: 'line',
      data: avg,
      // symbols only while a series is short enough for single points to matter
      showSymbol: avg.length <= 60,
      symbolSize: 4,
      sampling: 'lttb',
      connectNulls: false,
      lineStyle: { width: 1.5, color },
      itemStyle: { color },
    });
    if (band) {
      // stacked band: the min as an invisible base, (max − min) filled on top of it
      series.push(
        {
          name: 'min',
          type: 'line',
          data: line.data.ts.map((t, i) => [t, line.data.min[i] ?? null]),
          stack: 'band',
          lineStyle: { opacity: 0 },
          showSymbol: false,
          silent: true,
        },
        {
          name: 'max',
          type: 'line',
          data: line.data.ts.map((t, i) => {
            const lo = line.data.min[i];
            const hi = line.data.max[i];
            return [t, lo == null || hi == null ? null : hi - lo];
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
    title: { text: title, left: 8, top: 4, textStyle: { fontSize: 13, color: '#d0d0d8', fontWeight: 500 } },
    grid: { left: 64, right: 16, top: 32, bottom: 28 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'line' } },
    legend: lines.length > 1 ? { right: 12, top: 4, textStyle: { color: '#b8b8c4' } } : undefined,
    xAxis: { type: 'time', min: fromMs, max: toMs, axisLabel: { color: '#8a8a99' } },
    yAxis: {
      type: 'value',
      min: 0,
      minInterval: kind === 'pct' ? undefined : 1,
      max: kind === 'pct' ? (v: { max: number }) => Math.max(100, Math.ceil(v.max)) : undefined,
      axisLabel: { color: '#8a8a99', formatter: (v: number) => formatAxisValue(v, kind) },
      splitLine: { lineStyle: { color: '#2a2a33' } },
    },
    dataZoom: [{ type: 'inside', xAxisIndex: 0, filterMode: 'none' }],
    series,
  };
}
