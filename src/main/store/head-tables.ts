// The head's rows on disk: one table per hour (`head_<hour start, epoch s>`), each row one
// host cycle (head-log.ts encodes it). An hour's table is dropped whole once every host has
// sealed that hour: dropping frees its pages without writing them, where deleting rows
// rewrote every head page once more (a second time the size of the head per cycle, measured).
import type { Database as Db, Statement } from 'better-sqlite3';
import { RowBatch } from './row-batch';

const HOUR = 3600;
const NAME = /^head_(\d+)$/;

export interface HeadRow {
  ts: number;
  data: Buffer;
}

export interface HeadEntry {
  id: number;
  hostId: string;
  ts: number;
}

export function headTableName(hour: number): string {
  return `head_${hour}`;
}

/** The table and its (ts, host) index: the index only grows at its end and is all a restart reads. */
export function createHeadTableSql(hour: number): string {
  const t = headTableName(hour);
  return (
    `CREATE TABLE IF NOT EXISTS ${t} (id INTEGER PRIMARY KEY, host_id TEXT NOT NULL, ts INTEGER NOT NULL, data BLOB NOT NULL);` +
    `CREATE INDEX IF NOT EXISTS ${t}_ts ON ${t} (ts, host_id);`
  );
}

export function hourOf(ts: number): number {
  return Math.floor(ts / HOUR) * HOUR;
}

interface HourStatements {
  /** Rows appended, several to a statement: written by flush(). */
  inserts: RowBatch;
  byIds: Statement;
  since: Statement;
  one: Statement;
}

export class HeadTables {
  /** Hours that have a table, ascending. */
  private hours: number[] = [];
  private readonly statements = new Map<number, HourStatements>();
  /** Hours with rows added and not yet written. */
  private readonly pending = new Set<HourStatements>();

  constructor(private readonly db: Db) {
    this.reload();
  }

  /** Re-reads which tables exist (at open, and after a rolled-back write may have created one). */
  reload(): void {
    this.discard();
    const names = this.db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name LIKE 'head\\_%' ESCAPE '\\'")
      .pluck()
      .all() as string[];
    this.hours = names
      .map((n) => NAME.exec(n)?.[1])
      .filter((h): h is string => h !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    this.statements.clear();
  }

  list(): readonly number[] {
    return this.hours;
  }

  private of(hour: number, create: boolean): HourStatements | null {
    let s = this.statements.get(hour);
    if (s) return s;
    if (!this.hours.includes(hour)) {
      if (!create) return null;
      this.db.exec(createHeadTableSql(hour));
      this.hours.push(hour);
      this.hours.sort((a, b) => a - b);
    }
    const t = headTableName(hour);
    s = {
      inserts: new RowBatch(this.db, `INSERT INTO ${t} (id, host_id, ts, data)`, 4),
      byIds: this.db.prepare(`SELECT ts, data FROM ${t} WHERE id IN (SELECT value FROM json_each(?))`),
      since: this.db.prepare(`SELECT ts, data FROM ${t} WHERE ts >= ?`),
      one: this.db.prepare(`SELECT ts, data FROM ${t} WHERE id = ?`),
    };
    this.statements.set(hour, s);
    return s;
  }

  /**
   * Appends a row to its hour's table (created on first use, inside the caller's transaction).
   * The row is written by flush(), with others (data is copied): the caller flushes before its
   * transaction ends; anything here that reads the tables flushes first.
   */
  insert(id: number, hostId: string, ts: number, data: Uint8Array): void {
    const s = this.of(hourOf(ts), true) as HourStatements;
    const b = s.inserts;
    b.value(id);
    b.value(hostId);
    b.value(ts);
    b.blob(data);
    b.endRow();
    this.pending.add(s);
  }

  /** Writes the rows inserted and not yet written. */
  flush(): void {
    if (this.pending.size === 0) return;
    try {
      for (const s of this.pending) s.inserts.flush();
    } finally {
      this.discard();
    }
  }

  /** Forgets rows inserted and not written (their transaction is being rolled back). */
  discard(): void {
    for (const s of this.pending) s.inserts.clear();
    this.pending.clear();
  }

  /**
   * Rows of one hour by id, in ts order. Sorted here, and only when they do not come in that
   * order already (an ORDER BY copied every row, ~1.4 KB at 50 VMs, through SQLite's sorter).
   */
  rows(hour: number, ids: readonly number[]): HeadRow[] {
    this.flush();
    if (ids.length === 0) return [];
    const rows = (this.of(hour, false)?.byIds.all(JSON.stringify(ids)) ?? []) as HeadRow[];
    for (let k = 1; k < rows.length; k++) {
      if ((rows[k] as HeadRow).ts < (rows[k - 1] as HeadRow).ts) return rows.sort((a, b) => a.ts - b.ts);
    }
    return rows;
  }

  /** Rows of (ts, id) pairs from any hours, in ts order (the pairs are ascending by ts). */
  rowsAt(ts: readonly number[], ids: readonly number[]): HeadRow[] {
    const out: HeadRow[] = [];
    let k = 0;
    while (k < ts.length) {
      const hour = hourOf(ts[k] as number);
      const group: number[] = [];
      for (; k < ts.length && hourOf(ts[k] as number) === hour; k++) group.push(ids[k] as number);
      out.push(...this.rows(hour, group));
    }
    return out;
  }

  row(ts: number, id: number): HeadRow | undefined {
    this.flush();
    return this.of(hourOf(ts), false)?.one.get(id) as HeadRow | undefined;
  }

  /** Every row with ts ≥ since (duplicates of a second included). */
  since(since: number): HeadRow[] {
    this.flush();
    const out: HeadRow[] = [];
    for (const hour of this.hours)
      if (hour + HOUR > since) out.push(...((this.of(hour, false)?.since.all(since) ?? []) as HeadRow[]));
    return out;
  }

  /** Every row's id, host and ts, oldest first, from the indexes only. */
  *entries(): Generator<HeadEntry> {
    this.flush();
    for (const hour of this.hours) {
      const t = headTableName(hour);
      yield* this.db
        .prepare(`SELECT id, host_id AS hostId, ts FROM ${t} INDEXED BY ${t}_ts ORDER BY ts, host_id, id`)
        .iterate() as Iterable<HeadEntry>;
    }
  }

  /** The highest row id in any table (ids go on across tables: they order writes of the same second). */
  maxId(): number {
    this.flush();
    let max = 0;
    for (const hour of this.hours) {
      const m = this.db
        .prepare(`SELECT MAX(id) FROM ${headTableName(hour)}`)
        .pluck()
        .get() as number | null;
      if (m !== null && m > max) max = m;
    }
    return max;
  }

  /**
   * Drops the oldest table if its whole hour ends at or before `cutoff` (no unsealed row left
   * in it). One table per call; returns the hour dropped.
   */
  dropOldest(cutoff: number): number | null {
    this.flush();
    const hour = this.hours[0];
    if (hour === undefined || hour + HOUR > cutoff) return null;
    this.db.exec(`DROP TABLE IF EXISTS ${headTableName(hour)}`);
    this.hours.shift();
    this.statements.delete(hour);
    return hour;
  }

  /** Rows and bytes held (the bench's raw-tier figure counts them). */
  size(): { rows: number; bytes: number } {
    this.flush();
    let rows = 0;
    let bytes = 0;
    for (const hour of this.hours) {
      const r = this.db
        .prepare(`SELECT COUNT(*) AS rows, COALESCE(SUM(length(data)), 0) AS bytes FROM ${headTableName(hour)}`)
        .get() as { rows: number; bytes: number };
      rows += r.rows;
      bytes += r.bytes;
    }
    return { rows, bytes };
  }
}
