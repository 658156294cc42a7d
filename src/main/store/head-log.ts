// One head_log row: every series value of one host cycle, as (series id, scaled integer)
// pairs — ids delta-encoded, values zigzag varints. About 3–4 bytes a value, rewritten never.
import { ByteReader, ByteWriter } from './varint';

export function encodeHeadRow(pairs: readonly (readonly [number, number])[]): Uint8Array {
  const sorted = [...pairs].sort((a, b) => a[0] - b[0]);
  const w = new ByteWriter(8 + sorted.length * 4);
  w.uvarint(sorted.length);
  let prev = 0;
  for (const [id, q] of sorted) {
    w.uvarint(id - prev);
    w.svarint(q);
    prev = id;
  }
  return w.bytes().slice();
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
