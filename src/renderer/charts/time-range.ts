// The time range of the detail charts: a preset ending now (15m … 30d) or a custom span (picked,
// or dragged on a chart), and its form in the URL: `?range=6h` or `?range=<fromMs>..<toMs>`.

export const PRESETS = {
  '15m': 900,
  '1h': 3600,
  '6h': 21600,
  '24h': 86400,
  '7d': 604800,
  '30d': 2592000,
} as const;
export type Preset = keyof typeof PRESETS;

export type TimeRange = { kind: 'preset'; preset: Preset } | { kind: 'custom'; from: number; to: number };

export const DEFAULT_RANGE: TimeRange = { kind: 'preset', preset: '1h' };
/** The narrowest span a drag or a picker may choose (history is sampled every few seconds). */
export const MIN_SPAN_MS = 30_000;
/** Presets up to this span follow "now" and refresh every cycle. */
const LIVE_UP_TO_SEC = 21600;

const isPreset = (s: string): s is Preset => Object.hasOwn(PRESETS, s);

/** Reads `?range=`; anything unreadable is the default (a bad link still opens the page). */
export function parseRange(value: unknown): TimeRange {
  if (typeof value !== 'string') return DEFAULT_RANGE;
  if (isPreset(value)) return { kind: 'preset', preset: value };
  const m = /^(\d{1,15})\.\.(\d{1,15})$/.exec(value);
  if (!m) return DEFAULT_RANGE;
  const from = Number(m[1]);
  const to = Number(m[2]);
  return to - from >= MIN_SPAN_MS ? { kind: 'custom', from, to } : DEFAULT_RANGE;
}

export function formatRange(r: TimeRange): string {
  return r.kind === 'preset' ? r.preset : `${r.from}..${r.to}`;
}

/** The absolute window a range covers at `nowMs`. */
export function resolveRange(r: TimeRange, nowMs: number): { from: number; to: number } {
  return r.kind === 'preset' ? { from: nowMs - PRESETS[r.preset] * 1000, to: nowMs } : { from: r.from, to: r.to };
}

/** Whether the range follows now (refreshed with every cycle). */
export function isLive(r: TimeRange): boolean {
  return r.kind === 'preset' && PRESETS[r.preset] <= LIVE_UP_TO_SEC;
}

/**
 * A custom range from two picked or dragged instants (either order), widened around its middle
 * to MIN_SPAN_MS when narrower, and clipped so it does not end in the future.
 */
export function customRange(a: number, b: number, nowMs: number): TimeRange {
  let from = Math.round(Math.min(a, b));
  let to = Math.round(Math.max(a, b));
  if (to - from < MIN_SPAN_MS) {
    const mid = (from + to) / 2;
    from = Math.round(mid - MIN_SPAN_MS / 2);
    to = from + MIN_SPAN_MS;
  }
  if (to > nowMs) {
    from -= to - nowMs;
    to = nowMs;
  }
  return { kind: 'custom', from, to };
}

export function sameRange(a: TimeRange, b: TimeRange): boolean {
  return formatRange(a) === formatRange(b);
}
