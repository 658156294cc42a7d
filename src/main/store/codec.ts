// Compressed chunks of one series: timestamps as runs of equal steps (a regular cadence costs
// a few bytes a chunk), values as scaled integers (the metric's resolution) delta-encoded,
// missing values as a run-length list. Format 2 is not deflated: deflating cost ~17–30 µs a
// chunk (node's zlib sets up a stream per call; two chunks per series sealed, ~100,000 series
// an hour at 10,000 VMs), for ~0.5 B a value once the timestamps are runs (measured).
// Format 1 (delta-of-delta timestamps, deflated) is still read.
import { inflateRawSync } from 'node:zlib';
import { ByteReader, ByteWriter, MAX_VARINT_BYTES, putSvarint, putUvarint, uvarintLength } from './varint';

// read once from their module: under CommonJS loading (tsx) every use of an import is a getter call
const putU = putUvarint;
const putS = putSvarint;
const uvarintLen = uvarintLength;

/**
 * First byte of a format-2 chunk. A format-1 chunk is a raw deflate stream, whose first byte
 * never has both block-type bits (1 and 2) set: type 3 is reserved, so the two cannot be confused.
 */
const PLAIN = 0x7e;
const VERSION = 2;
const DEFLATED_VERSION = 1;
/** Largest magnitude a scaled value may have and stay exact. */
const MAX_SCALED = 2 ** 52;

export interface Points {
  /** Seconds since the epoch, ascending, no duplicates. */
  ts: number[];
  /** null for a missing value (no data, NaN, ±Infinity). */
  values: (number | null)[];
}

/** The integer a value is stored as, or null when it cannot be stored (missing or absurd). */
export function quantize(v: number | null, scale: number): number | null {
  if (v === null) return null;
  const q = quantizeOrNaN(v, scale);
  return q === q ? q : null;
}

/**
 * quantize for a number, NaN where quantize gives null: the write path's per-value loop (one
 * return type, no null to test for beside the number).
 */
export function quantizeOrNaN(v: number, scale: number): number {
  if (v - v !== 0) return NaN; // NaN, ±Infinity
  const q = Math.round(v / scale);
  if (q > MAX_SCALED || q < -MAX_SCALED) return NaN;
  return q === 0 ? 0 : q; // no negative zero
}

/** What a value reads back as: exactly the quantized value, as a number. */
export function dequantize(q: number, scale: number): number {
  // scale is 10^-k: divide by its inverse to avoid 0.1-style binary fractions piling up
  const inv = Math.round(1 / scale);
  return scale < 1 && Math.abs(1 / scale - inv) < 1e-9 ? q / inv : q * scale;
}

/** Columns of values sharing one timestamp array (1 column raw; min/avg/max/last for rollups). */
export interface Columns {
  ts: number[];
  columns: (number | null)[][];
}

/**
 * A column of scaled integers (NaN: missing) as missing-value runs, then deltas of the present,
 * at buf[at] (room for 3n + 1 varints assumed); returns the position after it.
 */
function writeColumn(buf: Uint8Array, at: number, qs: ArrayLike<number>, n: number): number {
  if (n > 0) {
    // nothing missing (sealed columns never miss a value): one run, then the deltas, written
    // in the same pass that looks for a missing value (and thrown away if one turns up)
    const from = at;
    buf[at++] = 1;
    at = putU(buf, at, n);
    buf[at++] = 0;
    let prev = 0;
    let i = 0;
    for (; i < n; i++) {
      const q = qs[i] as number;
      if (q !== q) break; // NaN: missing
      at = putS(buf, at, q - prev);
      prev = q;
    }
    if (i === n) return at;
    at = from;
  }
  // missing values as runs of (present count, missing count)
  let runCount = 0;
  for (let i = 0; i < n;) {
    while (i < n && !Number.isNaN(qs[i])) i++;
    while (i < n && Number.isNaN(qs[i])) i++;
    runCount++;
  }
  at = putU(buf, at, runCount);
  for (let i = 0; i < n;) {
    let p = 0;
    while (i < n && !Number.isNaN(qs[i])) {
      p++;
      i++;
    }
    let m = 0;
    while (i < n && Number.isNaN(qs[i])) {
      m++;
      i++;
    }
    at = putU(buf, at, p);
    at = putU(buf, at, m);
  }
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const q = qs[i] as number;
    if (Number.isNaN(q)) continue;
    at = putS(buf, at, q - prev);
    prev = q;
  }
  return at;
}

function readColumn(r: ByteReader, n: number, scale: number): (number | null)[] {
  const runCount = r.uvarint();
  const present = new Uint8Array(n);
  let at = 0;
  for (let k = 0; k < runCount; k++) {
    const p = r.uvarint();
    const m = r.uvarint();
    if (at + p + m > n) throw new RangeError('chunk runs exceed its length');
    present.fill(1, at, at + p);
    at += p + m;
  }
  const values = new Array<number | null>(n);
  // dequantize, its test hoisted out of the loop (a 24 h query decodes ~35,000 values)
  const inv = Math.round(1 / scale);
  const byInverse = scale < 1 && Math.abs(1 / scale - inv) < 1e-9;
  let prev = 0;
  for (let i = 0; i < n; i++) {
    if (present[i]) {
      prev += r.svarint();
      values[i] = byInverse ? prev / inv : prev * scale;
    } else values[i] = null;
  }
  return values;
}

export function encodeColumns({ ts, columns }: Columns, scale: number): Uint8Array {
  const n = ts.length;
  const qs = columns.map((c) => {
    const q = new Float64Array(n);
    for (let i = 0; i < n; i++) q[i] = quantize(c[i] ?? null, scale) ?? NaN;
    return q;
  });
  return encodeQuantized(ts, n, qs);
}

/**
 * The same chunk from values already quantized (scaled integers, NaN for missing): what sealing
 * writes straight from the head's columns, without a value round trip. With a writer given, it
 * is reset and reused and the bytes returned are a view into it (valid until its next use:
 * SQLite copies a blob it is given).
 */
export function encodeQuantized(
  ts: ArrayLike<number>,
  n: number,
  columns: readonly ArrayLike<number>[],
  writer?: ByteWriter,
): Uint8Array {
  const w = writer ?? new ByteWriter(16 + n * 2 * Math.max(1, columns.length));
  w.reset();
  // varints written in place (one call through the writer per value was most of sealing's
  // encoding time): room for the header, the timestamps' runs and every column's worst case
  const buf = w.room(MAX_VARINT_BYTES * (6 + 2 * n + columns.length * (3 * n + 1)));
  buf[0] = PLAIN; // one-byte varints, both
  buf[1] = VERSION;
  let at = putU(buf, 2, n);
  if (n > 0) {
    at = putU(buf, at, ts[0] as number);
    // (step, how many times) runs: ascending timestamps, so steps are ≥ 1. Found in one pass
    // and written after room for their count (at most n - 1, so no more bytes than n takes),
    // then moved up to it: a regular cadence is one run, and a second pass over the
    // timestamps only to count the runs was most of encoding them
    const room = uvarintLen(n);
    const first = at + room;
    let end = first;
    let runCount = 0;
    let i = 1;
    while (i < n) {
      const step = (ts[i] as number) - (ts[i - 1] as number);
      let times = 1;
      while (i + times < n && (ts[i + times] as number) - (ts[i + times - 1] as number) === step) times++;
      end = putU(buf, putU(buf, end, step), times);
      runCount++;
      i += times;
    }
    const countEnd = putU(buf, at, runCount);
    if (countEnd < first) buf.copyWithin(countEnd, first, end);
    at = end - (first - countEnd);
  }
  at = putU(buf, at, columns.length);
  for (const c of columns) at = writeColumn(buf, at, c, n);
  w.length = at;
  return writer ? w.bytes() : w.bytes().slice();
}

/** A chunk's n timestamps (the first, then runs of equal steps) into `out`, checked against n. */
function readTimestamps(r: ByteReader, n: number, out: { [i: number]: number }): void {
  if (n === 0) return;
  let t = r.uvarint();
  out[0] = t;
  let i = 1;
  for (let k = r.uvarint(); k > 0; k--) {
    const step = r.uvarint();
    const times = r.uvarint();
    if (i + times > n) throw new RangeError('chunk timestamps exceed its length');
    for (let j = 0; j < times; j++) out[i++] = t += step;
  }
  if (i !== n) throw new RangeError('chunk timestamps fall short of its length');
}

export function decodeColumns(data: Uint8Array, scale: number): Columns {
  if (data[0] !== PLAIN) return decodeDeflated(data, scale);
  const r = new ByteReader(data);
  r.uvarint();
  const version = r.uvarint();
  if (version !== VERSION) throw new Error(`chunk format ${version} is not known to this VirtDeck`);
  const n = r.uvarint();
  const ts = new Array<number>(n);
  readTimestamps(r, n, ts);
  const cols = r.uvarint();
  const columns: (number | null)[][] = [];
  for (let c = 0; c < cols; c++) columns.push(readColumn(r, n, scale));
  return { ts, columns };
}

/** Format 1: written by VirtDeck before format 2 (delta-of-delta timestamps, deflated). */
function decodeDeflated(data: Uint8Array, scale: number): Columns {
  const r = new ByteReader(inflateRawSync(data));
  const version = r.uvarint();
  if (version !== DEFLATED_VERSION) throw new Error(`chunk format ${version} is not known to this VirtDeck`);
  const n = r.uvarint();
  const ts = new Array<number>(n);
  if (n > 0) {
    let t = r.uvarint();
    ts[0] = t;
    let delta = 0;
    for (let i = 1; i < n; i++) {
      delta += r.svarint();
      t += delta;
      ts[i] = t;
    }
  }
  const cols = r.uvarint();
  const columns: (number | null)[][] = [];
  for (let c = 0; c < cols; c++) columns.push(readColumn(r, n, scale));
  return { ts, columns };
}

/** Scratch for the timestamps of one chunk (decodeChunkInto): grown, never shrunk. */
let scratchTs = new Float64Array(512);

/**
 * Appends the points of a one-column chunk with from ≤ ts < to to `ts` and `values`, decoded
 * straight into them (a 24 h query reads ~35,000 raw values: no arrays per chunk). Returns how
 * many it appended. Format 1 chunks go through decodeChunk.
 */
export function decodeChunkInto(
  data: Uint8Array,
  scale: number,
  from: number,
  to: number,
  ts: number[],
  values: (number | null)[],
): number {
  const before = ts.length;
  if (data[0] !== PLAIN) {
    const c = decodeChunk(data, scale);
    for (let i = 0; i < c.ts.length; i++) {
      const t = c.ts[i] as number;
      if (t < from || t >= to) continue;
      ts.push(t);
      values.push(c.values[i] ?? null);
    }
    return ts.length - before;
  }
  const r = new ByteReader(data);
  r.uvarint();
  const version = r.uvarint();
  if (version !== VERSION) throw new Error(`chunk format ${version} is not known to this VirtDeck`);
  const n = r.uvarint();
  if (scratchTs.length < n) scratchTs = new Float64Array(Math.max(n, 2 * scratchTs.length));
  const tss = scratchTs;
  readTimestamps(r, n, tss);
  if (r.uvarint() === 0) {
    for (let i = 0; i < n; i++) {
      const t = tss[i] as number;
      if (t >= from && t < to) {
        ts.push(t);
        values.push(null);
      }
    }
    return ts.length - before;
  }
  // the runs of (present, missing) come first, then the deltas of the present values: the runs
  // are read from a second reader that walks ahead of the values
  const runs = new ByteReader(data);
  runs.pos = r.pos;
  const runCount = runs.uvarint();
  const runsAt = runs.pos;
  for (let k = 0; k < 2 * runCount; k++) runs.uvarint();
  r.pos = runs.pos;
  runs.pos = runsAt;
  const inv = Math.round(1 / scale);
  const byInverse = scale < 1 && Math.abs(1 / scale - inv) < 1e-9;
  let prev = 0;
  let at = 0;
  for (let k = 0; k < runCount; k++) {
    const p = runs.uvarint();
    const m = runs.uvarint();
    if (at + p + m > n) throw new RangeError('chunk runs exceed its length');
    for (const end = at + p; at < end; at++) {
      prev += r.svarint();
      const t = tss[at] as number;
      if (t >= from && t < to) {
        ts.push(t);
        values.push(byInverse ? prev / inv : prev * scale);
      }
    }
    for (const end = at + m; at < end; at++) {
      const t = tss[at] as number;
      if (t >= from && t < to) {
        ts.push(t);
        values.push(null);
      }
    }
  }
  // a chunk whose runs fall short of its length: the rest is missing (as readColumn reads it)
  for (; at < n; at++) {
    const t = tss[at] as number;
    if (t >= from && t < to) {
      ts.push(t);
      values.push(null);
    }
  }
  return ts.length - before;
}

export function encodeChunk(points: Points, scale: number): Uint8Array {
  return encodeColumns({ ts: points.ts, columns: [points.values] }, scale);
}

export function decodeChunk(data: Uint8Array, scale: number): Points {
  const { ts, columns } = decodeColumns(data, scale);
  return { ts, values: columns[0] ?? ts.map(() => null) };
}
