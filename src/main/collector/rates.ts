// Counter arithmetic: a rate exists only with two samples, a positive interval and a counter
// that did not go backwards (a reset or a restarted VM yields null, never a negative or huge value).
import type { NicFigures } from '../../shared/model/metrics';

export function rate(prev: number | null | undefined, cur: number | null | undefined, dtSec: number): number | null {
  if (prev == null || cur == null || !(dtSec > 0)) return null;
  const d = cur - prev;
  if (d < 0 || !Number.isFinite(d)) return null;
  const r = d / dtSec;
  return Number.isFinite(r) ? r : null;
}

/** The sum of one field over the items, null when none has a value (no list of values built). */
export function sumOrNull<T, K extends keyof T>(items: readonly T[], key: K): number | null {
  let sum = 0;
  let any = false;
  for (const item of items) {
    const v = item[key] as number | null;
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

/** Interface counters as both /proc/net/dev and domstats report them. */
export interface NicCounters {
  name: string;
  rxBytes: number | null;
  txBytes: number | null;
  rxPkts: number | null;
  txPkts: number | null;
}

/** Per-interface byte and packet rates, matching interfaces by name across the two samples. */
export function nicRates(
  prev: readonly NicCounters[] | undefined,
  cur: readonly NicCounters[],
  dt: number,
): NicFigures[] {
  return cur.map((n) => {
    const p = prev?.find((x) => x.name === n.name);
    return {
      name: n.name,
      rxBps: rate(p?.rxBytes, n.rxBytes, dt),
      txBps: rate(p?.txBytes, n.txBytes, dt),
      rxPps: rate(p?.rxPkts, n.rxPkts, dt),
      txPps: rate(p?.txPkts, n.txPkts, dt),
    };
  });
}
