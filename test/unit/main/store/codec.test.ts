import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeChunk,
  decodeColumns,
  dequantize,
  encodeChunk,
  encodeColumns,
  quantize,
} from '../../../../src/main/store/codec';

describe('chunk codec', () => {
  it('round-trips any series exactly at the metric resolution (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.integer({ min: 1, max: 1000 }), fc.oneof(fc.double({ noNaN: false }), fc.constant(null))),
          {
            maxLength: 400,
          },
        ),
        fc.constantFrom(1, 0.01, 0.1),
        fc.integer({ min: 1_600_000_000, max: 1_900_000_000 }),
        (steps, scale, t0) => {
          let t = t0;
          const ts = steps.map(([d]) => (t += d));
          const values = steps.map(([, v]) => v);
          const back = decodeChunk(encodeChunk({ ts, values }, scale), scale);
          expect(back.ts).toEqual(ts);
          const expected = values.map((v) => {
            const q = quantize(v, scale);
            return q === null ? null : dequantize(q, scale);
          });
          expect(back.values).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('stores NaN and ±Infinity as missing, and keeps 0.01 steps exact', () => {
    const ts = [10, 20, 30, 40];
    const back = decodeChunk(encodeChunk({ ts, values: [NaN, Infinity, -Infinity, 12.34] }, 0.01), 0.01);
    expect(back.values).toEqual([null, null, null, 12.34]);
    expect(dequantize(quantize(0.07, 0.01) ?? 0, 0.01)).toBe(0.07);
  });

  it('spends about a byte per value or less on a regular 10 s series', () => {
    const ts = Array.from({ length: 360 }, (_, i) => 1_700_000_000 + i * 10);
    const values = ts.map((t) => Math.round(Math.abs(Math.sin(t / 600)) * 10000) / 100);
    const bytes = encodeChunk({ ts, values }, 0.01).length;
    expect(bytes / 360).toBeLessThan(2);
  });

  it('keeps several columns in one chunk', () => {
    const c = {
      ts: [0, 60, 120],
      columns: [
        [1, 2, null],
        [4, null, 6],
      ],
    };
    expect(decodeColumns(encodeColumns(c, 1), 1)).toEqual(c);
  });
});
