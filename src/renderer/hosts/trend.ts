// Recent values of one host figure, for the sparkline of the Hosts grid: a short window that
// new cycles push onto and history seeds once. Pure: the store and the tests share it.

/** Points kept per host: 60 cycles (10 minutes at the default 10 s interval). */
export const TREND_POINTS = 60;

/** The window with `value` appended, the oldest dropped beyond `max` (a new array: shallow refs see it). */
export function pushTrend(
  values: readonly (number | null)[],
  value: number | null,
  max = TREND_POINTS,
): (number | null)[] {
  const next = values.length >= max ? values.slice(values.length - max + 1) : values.slice();
  next.push(value);
  return next;
}

/**
 * SVG polyline segments for a sparkline `width`×`height` with the y axis 0…`top`: one
 * `points` string per run of known values (a gap — host unreachable — breaks the line).
 */
export function sparkSegments(values: readonly (number | null)[], width: number, height: number, top = 100): string[] {
  if (values.length === 0) return [];
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const y = (v: number) => {
    const clamped = Math.min(Math.max(v, 0), top);
    return (height - (clamped / top) * height).toFixed(1);
  };
  const segments: string[] = [];
  let run: string[] = [];
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) {
      if (run.length) segments.push(run.join(' '));
      run = [];
      return;
    }
    run.push(`${(i * step).toFixed(1)},${y(v)}`);
  });
  if (run.length) segments.push(run.join(' '));
  return segments;
}
