// Rows inserted several to a statement (`INSERT … VALUES (…), (…), …`: the same rows, in the
// same order, as one statement each). A statement run has a cost of its own beside SQLite's
// work on the row (binding, stepping, resetting, the result object): ~1.5 of ~5.5 µs a chunk
// row (measured), and a steady-state write of 10,000 VMs inserts ~650 rows.
import type { Database as Db, Statement } from 'better-sqlite3';

/** Rows a RowBatch inserts with one statement. */
export const BATCH_ROWS = 16;
/** Bytes of a slab: a host's head row at 50 VMs is ~1.2 KB, a sealed chunk ~0.5 KB. */
const SLAB = 64 * 1024;

export class RowBatch {
  private readonly statements = new Map<number, Statement>();
  /** Bound values of the rows added, `columns` a row. */
  private readonly args: (number | string | Uint8Array)[] = [];
  private at = 0;
  private rows = 0;
  /** Blob bytes of the rows added, one after another (a new slab when full: views of the old stay valid). */
  private slab = new Uint8Array(SLAB);
  private used = 0;

  /** `insert`: the statement up to VALUES, e.g. `INSERT INTO t (a, b)`, for `columns` values a row. */
  constructor(
    private readonly db: Db,
    private readonly insert: string,
    private readonly columns: number,
  ) {}

  value(v: number | string): void {
    this.args[this.at++] = v;
  }

  /** A blob value, copied (callers hand in views of buffers they reuse). */
  blob(data: Uint8Array): void {
    if (this.used + data.length > this.slab.length) {
      this.slab = new Uint8Array(Math.max(SLAB, data.length));
      this.used = 0;
    }
    const copy = this.slab.subarray(this.used, this.used + data.length);
    copy.set(data);
    this.used += data.length;
    this.args[this.at++] = copy;
  }

  /** Ends a row of `columns` values; a full batch is written. */
  endRow(): void {
    if (this.at !== (this.rows + 1) * this.columns) {
      this.clear();
      throw new Error(`a row of ${this.columns} values expected`);
    }
    if (++this.rows === BATCH_ROWS) this.flush();
  }

  /** Writes the rows added since the last flush. Empty afterwards, also when the write fails. */
  flush(): void {
    const rows = this.rows;
    if (rows === 0) return;
    const a = this.args;
    a.length = rows * this.columns;
    this.clear();
    try {
      this.statement(rows).run(a);
    } finally {
      a.fill(0); // no blob kept alive
    }
  }

  /** Forgets the rows added and not written (their write is being abandoned). */
  clear(): void {
    this.rows = 0;
    this.at = 0;
    this.used = 0;
  }

  private statement(rows: number): Statement {
    let s = this.statements.get(rows);
    if (!s) {
      const row = `(${Array.from({ length: this.columns }, () => '?').join(', ')})`;
      s = this.db.prepare(`${this.insert} VALUES ${Array.from({ length: rows }, () => row).join(', ')}`);
      this.statements.set(rows, s);
    }
    return s;
  }
}
