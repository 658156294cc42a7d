// A measured figure, as bench/results/latest.json records it (see bench/README.md).
export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** The goal the issue sets, or null when there is none. */
  target: number | null;
  /** The same quantity for the baseline measured in the same run, or null. */
  baseline: number | null;
}

/** Median of a list of numbers (the list is not modified). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return NaN;
  return n % 2 ? (s[(n - 1) / 2] as number) : ((s[n / 2 - 1] as number) + (s[n / 2] as number)) / 2;
}

/** The value 95 % of the way up a sorted copy of the list (as the store and warn benches take it). */
export function p95(xs: readonly number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] ?? NaN;
}
