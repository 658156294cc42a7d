// Rows inserted several to a statement land as one statement each would put them: all of them,
// in order, blobs intact (their buffers reused by the caller), and none left over from a batch
// whose write failed or was abandoned.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { BATCH_ROWS, RowBatch } from '../../../../src/main/store/row-batch';

const dbs: Database.Database[] = [];
afterEach(() => dbs.splice(0).forEach((d) => d.close()));

function table() {
  const db = new Database(':memory:');
  dbs.push(db);
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL, data BLOB NOT NULL)');
  return { db, batch: new RowBatch(db, 'INSERT INTO t (id, name, data)', 3) };
}

const rowsOf = (db: Database.Database) =>
  (
    db.prepare('SELECT id, name, hex(data) AS data FROM t ORDER BY rowid').all() as {
      id: number;
      name: string;
      data: string;
    }[]
  ).map((r) => [r.id, r.name, r.data]);

describe('RowBatch', () => {
  it('inserts every row added, in order, full batches as they fill and the rest on flush', () => {
    const { db, batch } = table();
    const reused = new Uint8Array(3000);
    const n = 2 * BATCH_ROWS + 5;
    const want: [number, string, string][] = [];
    for (let i = 1; i <= n; i++) {
      const len = 1 + ((i * 997) % 2500); // some past what is left of a slab
      reused.fill(i % 256, 0, len);
      batch.value(i);
      batch.value(`row ${i}`);
      batch.blob(reused.subarray(0, len));
      batch.endRow();
      want.push([
        i,
        `row ${i}`,
        Buffer.alloc(len, i % 256)
          .toString('hex')
          .toUpperCase(),
      ]);
      if (i === BATCH_ROWS) expect(rowsOf(db)).toHaveLength(BATCH_ROWS); // written when full
    }
    expect(rowsOf(db)).toHaveLength(2 * BATCH_ROWS);
    batch.flush();
    expect(rowsOf(db)).toEqual(want);
  });

  it('keeps nothing of a batch whose write failed, or that was cleared', () => {
    const { db, batch } = table();
    batch.value(1);
    batch.value('one');
    batch.blob(new Uint8Array([1]));
    batch.endRow();
    batch.value(2);
    batch.value(null as unknown as string); // NOT NULL: the statement fails
    batch.blob(new Uint8Array([2]));
    batch.endRow();
    expect(() => batch.flush()).toThrow(/NOT NULL/);
    expect(rowsOf(db)).toEqual([]);
    batch.value(3);
    batch.value('three');
    batch.blob(new Uint8Array([3]));
    batch.endRow();
    batch.clear();
    batch.value(4);
    batch.value('four');
    batch.blob(new Uint8Array([4]));
    batch.endRow();
    batch.flush();
    expect(rowsOf(db)).toEqual([[4, 'four', '04']]);
  });

  it('refuses a row with the wrong number of values', () => {
    const { db, batch } = table();
    batch.value(1);
    batch.value('one');
    expect(() => batch.endRow()).toThrow('a row of 3 values expected');
    batch.flush();
    expect(rowsOf(db)).toEqual([]);
  });
});
