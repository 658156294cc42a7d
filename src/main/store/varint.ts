// Growable byte buffer with LEB128 varints and zigzag signed integers: the building blocks of
// the chunk codec. Integers up to 2^53 are exact (JavaScript numbers).

export class ByteWriter {
  private buf: Uint8Array;
  length = 0;
  constructor(capacity = 256) {
    this.buf = new Uint8Array(capacity);
  }
  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.length + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }
  /** Unsigned integer, 0 ≤ n < 2^53. */
  uvarint(n: number): void {
    this.ensure(8);
    // the fields read once into locals, not around every byte stored (sealing a host-hour's
    // chunks: ~6 % faster, measured)
    const buf = this.buf;
    let at = this.length;
    if (n < 0x80000000) {
      // the common case, in 32-bit integer arithmetic
      while (n >= 0x80) {
        buf[at++] = (n & 0x7f) | 0x80;
        n >>>= 7;
      }
      buf[at++] = n;
      this.length = at;
      return;
    }
    while (n >= 0x80) {
      buf[at++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    buf[at++] = n;
    this.length = at;
  }
  /** Signed integer via zigzag (small magnitudes stay short). */
  svarint(n: number): void {
    this.uvarint(n >= 0 ? n * 2 : -n * 2 - 1);
  }
  /** Empties the buffer for reuse (its capacity stays). */
  reset(): void {
    this.length = 0;
  }
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
  /**
   * The buffer, with room for n more bytes from `length` on: for loops that write varints in
   * place with putUvarint/putSvarint (no call through the writer per value), then set `length`.
   */
  room(n: number): Uint8Array {
    this.ensure(n);
    return this.buf;
  }
}

/** Bytes a uvarint of a whole number n (0 ≤ n < 2^53) takes: at most 8. */
export const MAX_VARINT_BYTES = 8;

/**
 * Writes n (0 ≤ n < 2^53) as ByteWriter.uvarint does, at buf[at] (room for MAX_VARINT_BYTES
 * assumed); returns the position after it.
 */
export function putUvarint(buf: Uint8Array, at: number, n: number): number {
  if (n < 0x80) {
    buf[at] = n;
    return at + 1;
  }
  if (n < 0x80000000) {
    while (n >= 0x80) {
      buf[at++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    buf[at] = n;
    return at + 1;
  }
  while (n >= 0x80) {
    buf[at++] = (n % 0x80) | 0x80;
    n = Math.floor(n / 0x80);
  }
  buf[at] = n;
  return at + 1;
}

/** Bytes putUvarint takes for n (0 ≤ n < 2^53). */
export function uvarintLength(n: number): number {
  let len = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 0x80);
    len++;
  }
  return len;
}

/** Writes n (|n| ≤ 2^52) as ByteWriter.svarint does (zigzag), at buf[at]; returns the position after it. */
export function putSvarint(buf: Uint8Array, at: number, n: number): number {
  return putUvarint(buf, at, n >= 0 ? n * 2 : -n * 2 - 1);
}

export class ByteReader {
  pos = 0;
  constructor(private buf: Uint8Array) {}
  /** Reads another buffer from its start (one reader for many rows). */
  reset(buf: Uint8Array): void {
    this.buf = buf;
    this.pos = 0;
  }
  get done(): boolean {
    return this.pos >= this.buf.length;
  }
  uvarint(): number {
    // up to four bytes (below 2^28: ids, deltas and most scaled values) in 32-bit integer
    // arithmetic and one bounds check; the rest, and the end of the buffer, the general way
    const buf = this.buf;
    const pos = this.pos;
    if (pos + 4 <= buf.length) {
      let b = buf[pos] as number;
      if (b < 0x80) {
        this.pos = pos + 1;
        return b;
      }
      let x = b & 0x7f;
      b = buf[pos + 1] as number;
      if (b < 0x80) {
        this.pos = pos + 2;
        return x | (b << 7);
      }
      x |= (b & 0x7f) << 7;
      b = buf[pos + 2] as number;
      if (b < 0x80) {
        this.pos = pos + 3;
        return x | (b << 14);
      }
      x |= (b & 0x7f) << 14;
      b = buf[pos + 3] as number;
      if (b < 0x80) {
        this.pos = pos + 4;
        return x | (b << 21);
      }
    }
    return this.uvarintSlow();
  }
  private uvarintSlow(): number {
    let result = 0;
    let mul = 1;
    for (;;) {
      if (this.pos >= this.buf.length) throw new RangeError('truncated varint');
      const b = this.buf[this.pos++] as number;
      result += (b & 0x7f) * mul;
      if (b < 0x80) return result;
      mul *= 0x80;
      if (mul > 2 ** 56) throw new RangeError('varint too long');
    }
  }
  svarint(): number {
    const z = this.uvarint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }
}
