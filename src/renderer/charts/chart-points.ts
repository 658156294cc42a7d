// How many points a history chart asks the store for: one per device pixel of the chart's
// width, as Grafana asks for its panels. More than that cannot be drawn (ECharts would only
// thin them again, after the socket carried them and the page parsed them), and nothing is
// hidden by asking for fewer: a bucket keeps its min and max, which the chart draws as a band.

/** What the store returns at most when no width is known yet (hidden, not laid out). */
export const MAX_CHART_POINTS = 1500;
/** Below this a narrow window would get a coarser chart than its pixels show. */
export const MIN_CHART_POINTS = 300;

export function pointsForWidth(cssPx: number, devicePixelRatio = 1): number {
  if (!(cssPx > 0)) return MAX_CHART_POINTS;
  const px = Math.ceil(cssPx * (devicePixelRatio > 0 ? devicePixelRatio : 1));
  return Math.min(MAX_CHART_POINTS, Math.max(MIN_CHART_POINTS, px));
}

/**
 * The width (CSS px) a history chart last had, kept by the charts for the next page of charts:
 * it asks before it is laid out (its request then travels while the page mounts), and checks
 * once mounted. 0 until a chart has been measured.
 */
let lastWidth = 0;
export function rememberChartWidth(cssPx: number): void {
  if (cssPx > 0) lastWidth = cssPx;
}
export function lastChartWidth(): number {
  return lastWidth;
}
