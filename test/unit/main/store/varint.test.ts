// Varints under the chunk and head-row formats: every integer up to 2^53 in either sign comes
// back exactly (the reader takes a 32-bit path below 2^28 and 2^31, and numbers above).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ByteReader,
  ByteWriter,
  MAX_VARINT_BYTES,
  putSvarint,
  putUvarint,
  uvarintLength,
} from '../../../../src/main/store/varint';

const MAX = 2 ** 53 - 1;
/** Magnitudes of every size, the 32-bit edges among them. */
const magnitude = fc.oneof(
  fc.integer({ min: 0, max: 300 }),
  fc.integer({ min: 0, max: 2 ** 31 + 10 }),
  fc.constantFrom(2 ** 28 - 1, 2 ** 28, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 52, MAX),
  fc.integer({ min: 0, max: MAX }),
);

describe('varints', () => {
  it('round-trips unsigned and zigzag integers of every size (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(magnitude, fc.boolean()), { maxLength: 50 }), (xs) => {
        const w = new ByteWriter(4);
        for (const [m, negative] of xs) {
          w.uvarint(m);
          // a zigzag value's magnitude stays within 2^52 (what the store's scaled values keep to)
          w.svarint(negative ? -Math.min(m, 2 ** 52) : Math.min(m, 2 ** 52));
        }
        const r = new ByteReader(w.bytes());
        for (const [m, negative] of xs) {
          expect(r.uvarint()).toBe(m);
          const v = negative ? -Math.min(m, 2 ** 52) : Math.min(m, 2 ** 52);
          expect(r.svarint()).toBe(v === 0 ? 0 : v);
        }
        expect(r.done).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('writes in place the bytes the writer writes, in the length it says (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(magnitude, fc.boolean()), { maxLength: 50 }), (xs) => {
        const w = new ByteWriter(4);
        const buf = new Uint8Array(xs.length * 2 * MAX_VARINT_BYTES);
        let at = 0;
        for (const [m, negative] of xs) {
          const v = negative ? -Math.min(m, 2 ** 52) : Math.min(m, 2 ** 52);
          w.uvarint(m);
          const end = putUvarint(buf, at, m);
          expect(end - at).toBe(uvarintLength(m));
          expect(end - at).toBeLessThanOrEqual(MAX_VARINT_BYTES);
          at = putSvarint(buf, end, v);
          w.svarint(v);
        }
        expect(buf.subarray(0, at)).toEqual(w.bytes());
      }),
      { numRuns: 300 },
    );
  });

  it('reads varints the same at the end of a buffer as before it', () => {
    // the reader takes a four-byte path where four bytes are left, and a general one near the end
    for (const m of [0, 1, 127, 128, 2 ** 14 - 1, 2 ** 14, 2 ** 21 - 1, 2 ** 21, 2 ** 28 - 1, 2 ** 28, 2 ** 40]) {
      const w = new ByteWriter();
      w.uvarint(m);
      const bytes = w.bytes();
      for (let pad = 0; pad < 6; pad++) {
        const buf = new Uint8Array(bytes.length + pad);
        buf.set(bytes);
        const r = new ByteReader(buf);
        expect(r.uvarint()).toBe(m);
        expect(r.pos).toBe(bytes.length);
      }
    }
  });

  it('refuses a truncated or overlong varint', () => {
    const w = new ByteWriter();
    w.uvarint(2 ** 40);
    expect(() => new ByteReader(w.bytes().subarray(0, 3)).uvarint()).toThrow('truncated');
    expect(() => new ByteReader(new Uint8Array(10).fill(0xff)).uvarint()).toThrow('too long');
  });
});
