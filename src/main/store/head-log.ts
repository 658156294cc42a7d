// One head_log row: every series value of one host cycle, as (series id, scaled integer)
// pairs — ids delta-encoded, values zigzag varints. About 3–4 bytes a value, rewritten never.
import { ByteReader, ByteWriter } from './varint';

/**
 * The first n ids and scaled values of parallel arrays; ids need not be sorted. With a writer
 * given, it is reset and reused and the bytes returned are a view into it (valid until its
 * next use).
 */
export function encodeHeadRow(
  ids: ArrayLike<number>,
  qs: ArrayLike<number>,
  n = ids.length,
  writer?: ByteWriter,
): Uint8Array {
  let order: number[] | null = null;
  for (let i = 1; i < n; i++) {
    if ((ids[i] as number) < (ids[i - 1] as number)) {
      order = Array.from({ length: n }, (_, k) => k).sort((a, b) => (ids[a] as number) - (ids[b] as number));
      break;
    }
  }
  const w = writer ?? new ByteWriter(8 + n * 4);
  w.reset();
  w.uvarint(n);
  let prev = 0;
  for (let j = 0; j < n; j++) {
    const k = order ? (order[j] as number) : j;
    const id = ids[k] as number;
    w.uvarint(id - prev);
    w.svarint(qs[k] as number);
    prev = id;
  }
  return writer ? w.bytes() : w.bytes().slice();
}

export function decodeHeadRow(data: Uint8Array): Map<number, number> {
  const r = new ByteReader(data);
  const n = r.uvarint();
  const out = new Map<number, number>();
  let id = 0;
  for (let i = 0; i < n; i++) {
    id += r.uvarint();
    out.set(id, r.svarint());
  }
  return out;
}

/** One series' value in a row, without decoding the rest (ids are ascending: stops early). */
export function headValue(data: Uint8Array, seriesId: number): number | undefined {
  const r = new ByteReader(data);
  const n = r.uvarint();
  let id = 0;
  for (let i = 0; i < n; i++) {
    id += r.uvarint();
    const q = r.svarint();
    if (id === seriesId) return q;
    if (id > seriesId) return undefined;
  }
  return undefined;
}
