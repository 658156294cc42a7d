// Opens the history database: WAL, foreign keys, numbered migrations, and a refusal to touch
// a database written by a newer VirtDeck. Failures become StoreError with a reason to show.
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations';

export type StoreProblem = 'newer' | 'full' | 'readonly' | 'corrupt' | 'io';

export class StoreError extends Error {
  constructor(
    readonly problem: StoreProblem,
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

/** Maps SQLite's error codes to what an admin can act on. */
export function describeSqliteError(e: unknown, path: string): StoreError {
  if (e instanceof StoreError) return e;
  const code = (e as { code?: string }).code ?? '';
  const msg = (e as Error).message ?? String(e);
  if (code.startsWith('SQLITE_FULL')) {
    return new StoreError('full', `the disk holding ${path} is full: history is paused, live data continues`);
  }
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN' || /readonly/i.test(msg)) {
    return new StoreError('readonly', `${path} cannot be written (read-only file or folder): history is paused`);
  }
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
    return new StoreError('corrupt', `${path} is damaged or not a VirtDeck database (${msg})`);
  }
  return new StoreError('io', `${path}: ${msg}`);
}

export interface OpenOptions {
  /** Testing: cap the file at this many pages to simulate a full disk. */
  maxPageCount?: number;
}

export function openDatabase(path: string, opts: OpenOptions = {}): Db {
  let db: Db;
  try {
    db = new Database(path);
  } catch (e) {
    throw describeSqliteError(e, path);
  }
  try {
    refuseNewer(db, path); // before anything writes to the file
    db.pragma('journal_mode = WAL');
    // WAL + NORMAL: a killed process loses nothing committed; only an OS crash may lose the last commits
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 2000');
    if (opts.maxPageCount) db.pragma(`max_page_count = ${Math.floor(opts.maxPageCount)}`);
    migrate(db, path);
    return db;
  } catch (e) {
    db.close();
    throw describeSqliteError(e, path);
  }
}

function refuseNewer(db: Db, path: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new StoreError(
      'newer',
      `${path} was written by a newer VirtDeck (schema ${current}; this version knows up to ${SCHEMA_VERSION}). ` +
        'It was not changed. Use the newer VirtDeck, or start this one with another --data-dir.',
    );
  }
}

export function migrate(db: Db, path: string): void {
  refuseNewer(db, path);
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      m.migrate?.(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}
