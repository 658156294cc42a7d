// An hour of one host's head rows as columns (a Float64Array of scaled integers per series,
// NaN where a row has no value), and the chunks sealing makes of one column, encoded straight
// from those integers: no per-sample arrays or objects, no dequantize/quantize round trip.
// Sealing was most of a steady-state write's time (a host's hour is ~180,000 values).
import { encodeQuantized, quantizeOrNaN } from './codec';
import type { HeadRow } from './head-tables';
import { ByteReader, ByteWriter } from './varint';

const EMPTY = new Uint8Array(0);
// read once from their module: under CommonJS loading (tsx) every use of an import is a getter call
const toScaled = quantizeOrNaN;
const encode = encodeQuantized;

export interface EncodedChunk {
  /** Start of the last point or bucket, seconds. */
  end: number;
  count: number;
  data: Uint8Array;
}

export class HeadColumns {
  /** Row timestamps, ascending. */
  readonly ts: Float64Array;
  private readonly columns = new Map<number, Float64Array>();
  /** Scratch for one series' present samples. */
  private readonly pts: Float64Array;
  private readonly pqs: Float64Array;
  /** Scratch for one series' buckets (at most one per sample): bucket start, min, avg, max, count, last. */
  private readonly buckets: Float64Array[];
  /** Reused for every chunk sealed (the bytes seal() returns are views into them). */
  private readonly rawWriter = new ByteWriter(4096);
  private readonly aggWriter = new ByteWriter(4096);
  /** Columns are carved out of blocks (one allocation for a host's usual series, not one each). */
  private block: Float64Array;
  private blockUsed = 0;

  /** rows: one per second, ascending by ts (what the head directory lists). */
  constructor(rows: readonly HeadRow[]) {
    const n = rows.length;
    this.ts = new Float64Array(n);
    this.pts = new Float64Array(n);
    this.pqs = new Float64Array(n);
    const scratch = new Float64Array(6 * n);
    this.buckets = Array.from({ length: 6 }, (_, k) => scratch.subarray(k * n, (k + 1) * n));
    const first = rows[0] ? new ByteReader(rows[0].data).uvarint() : 0;
    this.block = new Float64Array(n * (first + 16)).fill(NaN);
    // a host's rows nearly always list the same series in the same order: the previous row's
    // columns, by position, save a map lookup per value
    const prevIds: number[] = [];
    const prevCols: Float64Array[] = [];
    const rd = new ByteReader(EMPTY);
    for (let r = 0; r < n; r++) {
      const row = rows[r] as HeadRow;
      this.ts[r] = row.ts;
      const data = row.data;
      rd.reset(data);
      const count = rd.uvarint();
      let id = 0;
      for (let j = 0; j < count; j++) {
        // one-byte varints (id deltas nearly always) read in place: ~150,000 pairs a host-hour
        const d = data[rd.pos] as number;
        if (d < 0x80) {
          rd.pos++;
          id += d;
        } else id += rd.uvarint();
        const q = rd.svarint();
        let col = prevIds[j] === id ? prevCols[j] : undefined;
        if (col === undefined) {
          col = this.columns.get(id);
          if (col === undefined) {
            col = this.newColumn(n);
            this.columns.set(id, col);
          }
          prevIds[j] = id;
          prevCols[j] = col;
        }
        col[r] = q;
      }
    }
  }

  private newColumn(n: number): Float64Array {
    if (this.blockUsed + n > this.block.length) {
      this.block = new Float64Array(n * 64).fill(NaN);
      this.blockUsed = 0;
    }
    const col = this.block.subarray(this.blockUsed, this.blockUsed + n);
    this.blockUsed += n;
    return col;
  }

  /** Series ids with at least one value, in the order first seen. */
  seriesIds(): number[] {
    return [...this.columns.keys()];
  }

  /** Copies a series' present samples into the scratch arrays; returns how many. */
  private gather(id: number): number {
    const col = this.columns.get(id);
    if (!col) return 0;
    // the fields in locals: read through `this` in the loop, sealing a host-hour's chunks took
    // 1.6 × as long (measured)
    const { ts, pts, pqs } = this;
    const n = col.length;
    let k = 0;
    for (let r = 0; r < n; r++) {
      const q = col[r] as number;
      if (q !== q) continue; // NaN: no value in this row
      pts[k] = ts[r] as number;
      pqs[k++] = q;
    }
    return k;
  }

  /** Present samples of a series as values (for merging with a chunk already stored). */
  points(id: number, dequantize: (q: number) => number): { ts: number[]; values: number[] } {
    const n = this.gather(id);
    const ts = new Array<number>(n);
    const values = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      ts[i] = this.pts[i] as number;
      values[i] = dequantize(this.pqs[i] as number);
    }
    return { ts, values };
  }

  /**
   * The raw chunk and the rollup chunk (buckets of `bucketSec`: min, avg, max, count and, with
   * `withLast`, last) of a series, in the chunk format encodeChunk and encodeColumns write. The
   * raw chunk is the same bytes; averages are taken in scaled integers, rounded half up (the
   * value path's float division could round a .5 either way). Null when the series has no
   * sample in these rows. The chunks' bytes are views, valid until the next call.
   */
  seal(
    id: number,
    scale: number,
    bucketSec: number,
    withLast: boolean,
  ): { raw: EncodedChunk; agg: EncodedChunk } | null {
    const n = this.gather(id);
    if (n === 0) return null;
    const ts = this.pts;
    const qs = this.pqs;
    const raw = { end: ts[n - 1] as number, count: n, data: encode(ts, n, [qs], this.rawWriter) };
    const [bts, min, avg, max, cnt, last] = this.buckets as [
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
    ];
    let b = -1;
    let sum = 0;
    let c = 0;
    let bucketEnd = -Infinity; // timestamps ascend: a new bucket starts at or after the last one's end
    for (let i = 0; i < n; i++) {
      const t = ts[i] as number;
      const q = qs[i] as number;
      if (t >= bucketEnd) {
        if (b >= 0) {
          avg[b] = Math.round(sum / c);
          cnt[b] = toScaled(c, scale); // counts are stored at the metric's scale
        }
        const start = Math.floor(t / bucketSec) * bucketSec;
        bucketEnd = start + bucketSec;
        b++;
        bts[b] = start;
        min[b] = q;
        max[b] = q;
        sum = 0;
        c = 0;
      } else {
        if (q < (min[b] as number)) min[b] = q;
        if (q > (max[b] as number)) max[b] = q;
      }
      last[b] = q;
      sum += q;
      c++;
    }
    avg[b] = Math.round(sum / c);
    cnt[b] = toScaled(c, scale);
    const buckets = b + 1;
    const columns = withLast ? [min, avg, max, cnt, last] : [min, avg, max, cnt];
    const agg = { end: bts[b] as number, count: buckets, data: encode(bts, buckets, columns, this.aggWriter) };
    return { raw, agg };
  }
}
