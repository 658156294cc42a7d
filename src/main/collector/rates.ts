// Counter arithmetic: a rate exists only with two samples, a positive interval and a counter
// that did not go backwards (a reset or a restarted VM yields null, never a negative or huge value).

export function rate(prev: number | null | undefined, cur: number | null | undefined, dtSec: number): number | null {
  if (prev == null || cur == null || !(dtSec > 0)) return null;
  const d = cur - prev;
  if (d < 0 || !Number.isFinite(d)) return null;
  const r = d / dtSec;
  return Number.isFinite(r) ? r : null;
}

export function sumOrNull(values: readonly (number | null)[]): number | null {
  let sum = 0;
  let any = false;
  for (const v of values) {
    if (v == null) continue;
    sum += v;
    any = true;
  }
  return any ? sum : null;
}

export function pct(part: number | null, whole: number | null): number | null {
  if (part == null || whole == null || !(whole > 0)) return null;
  return (100 * part) / whole;
}
