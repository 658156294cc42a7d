// Aggregation of points into time buckets with min / avg / max / last (and how many samples
// each bucket holds, so averages of averages stay weighted).

export interface Agg {
  /** Bucket start, seconds. */
  ts: number[];
  min: (number | null)[];
  avg: (number | null)[];
  max: (number | null)[];
  last: (number | null)[];
  count: number[];
}

export function emptyAgg(): Agg {
  return { ts: [], min: [], avg: [], max: [], last: [], count: [] };
}

/** Raw samples as an Agg (each sample its own bucket of one). Shares the arrays: read-only. */
export function fromRaw(ts: number[], values: (number | null)[]): Agg {
  return { ts, min: values, avg: values, max: values, last: values, count: values.map((v) => (v === null ? 0 : 1)) };
}

/** Re-buckets an Agg (sorted by ts) into buckets of bucketSec aligned to the epoch. */
export function bucketize(src: Agg, bucketSec: number): Agg {
  const out = emptyAgg();
  let cur = -1;
  let sum = 0;
  for (let i = 0; i < src.ts.length; i++) {
    const b = Math.floor((src.ts[i] as number) / bucketSec) * bucketSec;
    if (b !== cur) {
      if (cur >= 0) out.avg.push((out.count.at(-1) ?? 0) > 0 ? sum / (out.count.at(-1) as number) : null);
      cur = b;
      sum = 0;
      out.ts.push(b);
      out.min.push(null);
      out.max.push(null);
      out.last.push(null);
      out.count.push(0);
    }
    const k = out.ts.length - 1;
    const n = src.count[i] ?? 0;
    const avg = src.avg[i] ?? null;
    if (n === 0 || avg === null) continue;
    const mn = src.min[i] ?? avg;
    const mx = src.max[i] ?? avg;
    const om = out.min[k] ?? null;
    const oM = out.max[k] ?? null;
    out.min[k] = om === null || (mn !== null && mn < om) ? mn : om;
    out.max[k] = oM === null || (mx !== null && mx > oM) ? mx : oM;
    out.last[k] = src.last[i] ?? avg;
    out.count[k] = (out.count[k] ?? 0) + n;
    sum += avg * n;
  }
  if (cur >= 0) out.avg.push((out.count.at(-1) ?? 0) > 0 ? sum / (out.count.at(-1) as number) : null);
  return out;
}

/** Concatenates Aggs that cover disjoint, ascending ranges. */
export function concatAgg(parts: readonly Agg[]): Agg {
  const out = emptyAgg();
  for (const p of parts) {
    out.ts.push(...p.ts);
    out.min.push(...p.min);
    out.avg.push(...p.avg);
    out.max.push(...p.max);
    out.last.push(...p.last);
    out.count.push(...p.count);
  }
  return out;
}

/** Keeps buckets with fromSec ≤ ts < toSec. */
export function sliceAgg(a: Agg, fromSec: number, toSec: number): Agg {
  const out = emptyAgg();
  for (let i = 0; i < a.ts.length; i++) {
    const t = a.ts[i] as number;
    if (t < fromSec || t >= toSec) continue;
    out.ts.push(t);
    out.min.push(a.min[i] ?? null);
    out.avg.push(a.avg[i] ?? null);
    out.max.push(a.max[i] ?? null);
    out.last.push(a.last[i] ?? null);
    out.count.push(a.count[i] ?? 0);
  }
  return out;
}
