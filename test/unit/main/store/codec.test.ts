import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeChunk,
  decodeChunkInto,
  decodeColumns,
  dequantize,
  encodeChunk,
  encodeColumns,
  encodeQuantized,
  quantize,
  quantizeOrNaN,
} from '../../../../src/main/store/codec';
import { ByteWriter } from '../../../../src/main/store/varint';

/**
 * Format 2 as its description gives it, written plainly through a ByteWriter: marker, version,
 * count; first timestamp and (step, times) runs; per column, (present, missing) runs and the
 * deltas of the present values. The codec writes the same bytes its own faster way.
 */
function referenceChunk(ts: readonly number[], columns: readonly (readonly number[])[]): Uint8Array {
  const w = new ByteWriter();
  const n = ts.length;
  w.uvarint(0x7e);
  w.uvarint(2);
  w.uvarint(n);
  if (n > 0) {
    w.uvarint(ts[0] as number);
    const runs: [number, number][] = [];
    for (let i = 1; i < n; i++) {
      const step = (ts[i] as number) - (ts[i - 1] as number);
      const last = runs.at(-1);
      if (last && last[0] === step) last[1]++;
      else runs.push([step, 1]);
    }
    w.uvarint(runs.length);
    for (const [step, times] of runs) {
      w.uvarint(step);
      w.uvarint(times);
    }
  }
  w.uvarint(columns.length);
  for (const c of columns) {
    const runs: [number, number][] = [];
    for (let i = 0; i < n;) {
      let p = 0;
      let m = 0;
      for (; i < n && !Number.isNaN(c[i]); i++) p++;
      for (; i < n && Number.isNaN(c[i]); i++) m++;
      runs.push([p, m]);
    }
    w.uvarint(runs.length);
    for (const [p, m] of runs) {
      w.uvarint(p);
      w.uvarint(m);
    }
    let prev = 0;
    for (const q of c) {
      if (Number.isNaN(q)) continue;
      w.svarint(q - prev);
      prev = q;
    }
  }
  return w.bytes().slice();
}

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

  it('decodes the points of a range straight onto arrays, as decodeChunk gives them (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 30 }), fc.option(fc.integer({ min: -1e6, max: 1e6 }))), {
          maxLength: 400,
        }),
        fc.constantFrom(1, 0.01),
        fc.integer({ min: -50, max: 6000 }),
        fc.integer({ min: 0, max: 6000 }),
        (steps, scale, fromOffset, span) => {
          const t0 = 1_700_000_000;
          let t = t0;
          const ts = steps.map(([d]) => (t += d));
          const values = steps.map(([, q]) => (q === null ? null : q * scale));
          const whole = decodeChunk(encodeChunk({ ts, values }, scale), scale);
          const from = t0 + fromOffset;
          const to = from + span;
          const keep = whole.ts.map((x) => x >= from && x < to);
          // appended after what the arrays hold already
          const outTs = [1];
          const outValues: (number | null)[] = [null];
          const n = decodeChunkInto(encodeChunk({ ts, values }, scale), scale, from, to, outTs, outValues);
          expect(n).toBe(keep.filter(Boolean).length);
          expect(outTs).toEqual([1, ...whole.ts.filter((_, i) => keep[i])]);
          expect(outValues).toEqual([null, ...whole.values.filter((_, i) => keep[i])]);
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

  it('writes the bytes of the format as described, with or without a writer to reuse (property)', () => {
    const steps = fc.oneof(fc.constant(10), fc.constant(60), fc.integer({ min: 1, max: 2 ** 20 }));
    const q = fc.oneof(
      fc.integer({ min: -300, max: 300 }),
      fc.integer({ min: -(2 ** 52), max: 2 ** 52 }),
      fc.constant(Number.NaN),
    );
    const reuse = new ByteWriter(4);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 40 }),
        // lengths past 127 too: the count of the timestamps' runs then may take fewer bytes than n
        fc.array(steps, { maxLength: 400, size: 'max' }),
        fc.array(fc.array(q, { minLength: 401, maxLength: 401 }), { minLength: 1, maxLength: 5 }),
        fc.boolean(),
        (t0, gaps, cols, allPresent) => {
          const ts = [t0];
          for (const g of gaps) ts.push((ts.at(-1) as number) + g);
          const n = ts.length;
          const columns = cols.map((c) => c.slice(0, n).map((x) => (allPresent && Number.isNaN(x) ? 7 : x)));
          // as hex: a failure's diff stays quick to print
          const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
          const want = hex(referenceChunk(ts, columns));
          expect(hex(encodeQuantized(ts, n, columns))).toBe(want);
          const typed = columns.map((c) => Float64Array.from(c));
          expect(hex(encodeQuantized(Float64Array.from(ts), n, typed, reuse))).toBe(want);
        },
      ),
      { numRuns: 200, endOnFailure: true },
    );
    expect(encodeQuantized([], 0, [[]])).toEqual(referenceChunk([], [[]]));
  });

  it('quantizes numbers as quantize does, NaN where it gives null', () => {
    for (const v of [0, -0, 0.004, 0.005, -0.005, 1.005, 12.345, 1e6, -2.5, NaN, Infinity, -Infinity, 2 ** 60, 1e-300])
      for (const scale of [0.01, 1]) expect(quantizeOrNaN(v, scale)).toBe(quantize(v, scale) ?? NaN);
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

  it('reads the deflated chunks (format 1) the previous release wrote', () => {
    // the bytes that release's encodeChunk / encodeColumns returned for these points
    const ts = [1_700_000_000, 1_700_000_010, 1_700_000_020, 1_700_000_030, 1_700_000_045, 1_700_000_055];
    const v1 = Buffer.from('63646b78747e159b08030317272313232333e312e1c5c2b7b97f2d670400', 'hex');
    expect(decodeChunk(v1, 0.01)).toEqual({ ts, values: [12.34, null, 0, -7.5, 99.99, null] });
    const part = { ts: [] as number[], values: [] as (number | null)[] };
    decodeChunkInto(v1, 0.01, ts[1] as number, ts[4] as number, part.ts, part.values);
    expect(part).toEqual({ ts: ts.slice(1, 4), values: [null, 0, -7.5] });
    const cols = Buffer.from('636466a8606062646264626262646464e0600100', 'hex');
    expect(decodeColumns(cols, 1)).toEqual({
      ts: [0, 60, 120],
      columns: [
        [1, 2, null],
        [4, null, 6],
      ],
    });
    // and what is written now is not deflated, and not taken for format 1
    expect(encodeChunk({ ts, values: [1, 2, 3, 4, 5, 6] }, 1)[0]).toBe(0x7e);
  });

  it('spends almost nothing on the timestamps of a regular cadence', () => {
    const ts = Array.from({ length: 360 }, (_, i) => 1_700_000_000 + i * 10);
    const regular = encodeChunk({ ts, values: ts.map(() => 5) }, 1).length;
    expect(regular).toBeLessThan(360 + 20); // a byte a value (the deltas) and a few bytes of runs
    const jittered = ts.map((t, i) => t + (i % 2)); // steps 11, 9, 11, … : a run per step
    expect(decodeChunk(encodeChunk({ ts: jittered, values: ts.map(() => 5) }, 1), 1).ts).toEqual(jittered);
  });
});
