// Sealing straight from the head's columns must give the chunks the value path gives: the
// same raw bytes, and rollups with the same min/max/count/last and averages within rounding.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeChunk, decodeColumns, dequantize, encodeChunk, quantize } from '../../../../src/main/store/codec';
import { HeadColumns } from '../../../../src/main/store/head-columns';
import { encodeHeadRow } from '../../../../src/main/store/head-log';
import { bucketize, fromRaw } from '../../../../src/main/store/rollup';

const HOUR0 = 1_763_596_800;

/** Head rows of one host: per row, the series present (ids 1..3) and their scaled values. */
const rowsArb = fc.array(
  fc.tuple(
    fc.integer({ min: 1, max: 30 }),
    fc.array(fc.option(fc.integer({ min: -100_000, max: 100_000 }), { nil: null }), {
      minLength: 3,
      maxLength: 3,
    }),
  ),
  { minLength: 1, maxLength: 200 },
);

describe('HeadColumns', () => {
  it('seals a series into the chunks the value path makes of it (property)', () => {
    fc.assert(
      fc.property(rowsArb, fc.constantFrom(1, 0.01), fc.boolean(), (spec, scale, withLast) => {
        let t = HOUR0;
        const rows = spec.map(([step, vals]) => {
          t += step;
          const ids: number[] = [];
          const qs: number[] = [];
          vals.forEach((q, k) => {
            if (q === null) return;
            ids.push(k + 1);
            qs.push(q);
          });
          return { ts: t, ids, qs, data: Buffer.from(encodeHeadRow(ids, qs)) };
        });
        const columns = new HeadColumns(rows);
        for (const id of [1, 2, 3]) {
          const ts: number[] = [];
          const values: number[] = [];
          for (const r of rows) {
            const k = r.ids.indexOf(id);
            if (k < 0) continue;
            ts.push(r.ts);
            values.push(dequantize(r.qs[k] as number, scale));
          }
          const got = columns.seal(id, scale, 60, withLast);
          if (ts.length === 0) {
            expect(got).toBeNull();
            continue;
          }
          if (!got) throw new Error('no chunks');
          expect(Buffer.from(got.raw.data)).toEqual(Buffer.from(encodeChunk({ ts, values }, scale)));
          expect([got.raw.count, got.raw.end]).toEqual([ts.length, ts.at(-1)]);
          expect(decodeChunk(got.raw.data, scale)).toEqual({ ts, values });
          const want = bucketize(fromRaw(ts, values), 60);
          const agg = decodeColumns(got.agg.data, scale);
          expect(agg.ts).toEqual(want.ts);
          expect([got.agg.count, got.agg.end]).toEqual([want.ts.length, want.ts.at(-1)]);
          const [min, avg, max, count, last] = agg.columns;
          expect(min).toEqual(want.min);
          expect(max).toEqual(want.max);
          expect(count?.map((c) => Math.round(c ?? NaN))).toEqual(want.count);
          if (withLast) expect(last).toEqual(want.last);
          else expect(agg.columns).toHaveLength(4);
          // the average at the metric's resolution: within half a step of the exact one
          avg?.forEach((a, i) => {
            const exact = want.avg[i] as number;
            expect(Math.abs((a as number) - exact)).toBeLessThanOrEqual(scale / 2 + 1e-9);
            expect(quantize(a, scale)).not.toBeNull();
          });
        }
      }),
      { numRuns: 200 },
    );
  });

  it('lists every series seen, also one that appears only in a later row', () => {
    const row = (ts: number, ids: number[]) => ({ ts, data: Buffer.from(encodeHeadRow(ids, ids)) });
    const columns = new HeadColumns([row(HOUR0, [1, 2]), row(HOUR0 + 10, [1, 3]), row(HOUR0 + 20, [2, 3])]);
    expect(columns.seriesIds().sort()).toEqual([1, 2, 3]);
    expect(columns.points(3, (q) => q)).toEqual({ ts: [HOUR0 + 10, HOUR0 + 20], values: [3, 3] });
    expect(columns.points(2, (q) => q)).toEqual({ ts: [HOUR0, HOUR0 + 20], values: [2, 2] });
  });
});
