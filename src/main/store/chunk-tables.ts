// The sealed chunks on disk: one rowid table per tier, rows appended in the order they are
// sealed (so pages fill densely and retention empties whole pages from the old end), each with
// a unique (start, series) index to find them. The `chunks` view lists all tiers for tools.
import type { Database as Db, Statement } from 'better-sqlite3';
import { RowBatch } from './row-batch';

/** Table of each tier (TIER_RAW = 0, TIER_1M = 1, TIER_1H = 2). */
export const CHUNK_TABLES = ['chunks_raw', 'chunks_1m', 'chunks_1h'] as const;

export interface ChunkStatements {
  /** (series, start, end, count, data); a chunk stored again replaces the old one. */
  put: Statement;
  /** (series, start) → data */
  get: Statement;
  minStart: Statement;
  maxStart: Statement;
  /** A key lookup per aligned chunk start in [first, end): {first, span, end, id}. */
  range: Statement;
  /** (last start, offset) → the chunk `offset` places from the old end, if it starts by then */
  edge: Statement;
  /** (start) → deletes every chunk starting at or before it */
  deleteUpTo: Statement;
  /** (start, series) → deletes that start's chunks up to that series */
  deletePart: Statement;
}

export function chunkStatements(db: Db, tier: number): ChunkStatements {
  const t = CHUNK_TABLES[tier];
  if (!t) throw new Error(`no chunk tier ${tier}`);
  return {
    put: db.prepare(`INSERT OR REPLACE INTO ${t} (series_id, start_ts, end_ts, count, data) VALUES (?, ?, ?, ?, ?)`),
    get: db.prepare(`SELECT data FROM ${t} WHERE series_id = ? AND start_ts = ?`),
    minStart: db.prepare(`SELECT start_ts AS t FROM ${t} ORDER BY start_ts LIMIT 1`),
    maxStart: db.prepare(`SELECT start_ts AS t FROM ${t} ORDER BY start_ts DESC LIMIT 1`),
    range: db.prepare(
      'WITH RECURSIVE s(t) AS (SELECT @first UNION ALL SELECT t + @span FROM s WHERE t + @span < @end) ' +
        `SELECT c.start_ts, c.data FROM s CROSS JOIN ${t} c ON c.start_ts = s.t AND c.series_id = @id ORDER BY c.start_ts`,
    ),
    edge: db.prepare(
      `SELECT start_ts, series_id FROM ${t} WHERE start_ts <= ? ORDER BY start_ts, series_id LIMIT 1 OFFSET ?`,
    ),
    deleteUpTo: db.prepare(`DELETE FROM ${t} WHERE start_ts <= ?`),
    deletePart: db.prepare(`DELETE FROM ${t} WHERE start_ts = ? AND series_id <= ?`),
  };
}

/**
 * Chunks to put into one tier, several rows to a statement (RowBatch): sealing an hour of
 * 10,000 VMs puts ~160,000 chunk rows. Nothing is written until flush(): whoever reads the
 * tier flushes first.
 */
export class ChunkBatch {
  private readonly rows: RowBatch;

  constructor(db: Db, tier: number) {
    const t = CHUNK_TABLES[tier];
    if (!t) throw new Error(`no chunk tier ${tier}`);
    this.rows = new RowBatch(db, `INSERT OR REPLACE INTO ${t} (series_id, start_ts, end_ts, count, data)`, 5);
  }

  /** A chunk to put (replacing one of the same series and start); `data` is copied. */
  add(seriesId: number, start: number, end: number, count: number, data: Uint8Array): void {
    const r = this.rows;
    r.value(seriesId);
    r.value(start);
    r.value(end);
    r.value(count);
    r.blob(data);
    r.endRow();
  }

  flush(): void {
    this.rows.flush();
  }

  clear(): void {
    this.rows.clear();
  }
}
