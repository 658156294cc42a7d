// Numbered schema migrations. Never edit one that has shipped: add the next number.
// The database's PRAGMA user_version is the number of the last migration applied.

import type { Database as Db } from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** Steps SQL alone cannot say (tables named after their data), run after `sql` in its transaction. */
  migrate?: (db: Db) => void;
}

/** Migration 6's table for one tier (part of that migration: never change it). */
function chunkTierTable(table: string, tier: number): string {
  return `
CREATE TABLE ${table} (
  id INTEGER PRIMARY KEY,
  start_ts INTEGER NOT NULL,
  series_id INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
  end_ts INTEGER NOT NULL,
  count INTEGER NOT NULL,
  data BLOB NOT NULL
);
INSERT INTO ${table} (start_ts, series_id, end_ts, count, data)
  SELECT start_ts, series_id, end_ts, count, data FROM chunks WHERE tier = ${tier} ORDER BY start_ts, series_id;
CREATE UNIQUE INDEX ${table}_key ON ${table} (start_ts, series_id);
`;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial',
    sql: `
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

CREATE TABLE hosts (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL
);

CREATE TABLE vms (
  id INTEGER PRIMARY KEY,
  host_id TEXT NOT NULL REFERENCES hosts(id) ON DELETE CASCADE,
  uuid TEXT NOT NULL,
  name TEXT NOT NULL,
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  UNIQUE (host_id, uuid)
);

-- names change; a VM is its UUID
CREATE TABLE vm_names (
  vm_id INTEGER NOT NULL REFERENCES vms(id) ON DELETE CASCADE,
  since INTEGER NOT NULL,
  name TEXT NOT NULL,
  PRIMARY KEY (vm_id, since)
) WITHOUT ROWID;

CREATE TABLE series (
  id INTEGER PRIMARY KEY,
  host_id TEXT NOT NULL REFERENCES hosts(id) ON DELETE CASCADE,
  vm_id INTEGER REFERENCES vms(id) ON DELETE CASCADE,
  metric TEXT NOT NULL
);
CREATE UNIQUE INDEX series_vm ON series (vm_id, metric) WHERE vm_id IS NOT NULL;
CREATE UNIQUE INDEX series_host ON series (host_id, metric) WHERE vm_id IS NULL;

-- the head: one row per host cycle, all its series' values, until sealed into chunks.
-- Rowid tables for the blobs: rows are appended in rowid order, so pages fill densely (a
-- WITHOUT ROWID table keyed by series would split pages all over and stay half empty).
CREATE TABLE head_log (
  id INTEGER PRIMARY KEY,
  host_id TEXT NOT NULL,
  ts INTEGER NOT NULL,
  data BLOB NOT NULL
);
CREATE UNIQUE INDEX head_log_host_ts ON head_log (host_id, ts);

-- sealed, compressed chunks: tier 0 raw (an hour), 1 one-minute rollups (an hour),
-- 2 one-hour rollups (a day)
CREATE TABLE chunks (
  id INTEGER PRIMARY KEY,
  series_id INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
  tier INTEGER NOT NULL,
  start_ts INTEGER NOT NULL,
  end_ts INTEGER NOT NULL,
  count INTEGER NOT NULL,
  data BLOB NOT NULL
);
CREATE UNIQUE INDEX chunks_series ON chunks (series_id, tier, start_ts);
CREATE INDEX chunks_age ON chunks (tier, end_ts);

CREATE TABLE alerts (
  id INTEGER PRIMARY KEY,
  rule_id TEXT NOT NULL,
  target_kind TEXT NOT NULL,
  target_id TEXT NOT NULL,
  severity TEXT NOT NULL,
  state TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  fired_at INTEGER,
  resolved_at INTEGER,
  reason TEXT,
  reason_data TEXT
);
CREATE INDEX alerts_open ON alerts (state) WHERE state <> 'resolved';

CREATE TABLE alert_events (
  id INTEGER PRIMARY KEY,
  alert_id INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
  at INTEGER NOT NULL,
  kind TEXT NOT NULL,
  actor TEXT,
  note TEXT
);

CREATE TABLE tasks (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  host_id TEXT,
  target TEXT,
  state TEXT NOT NULL,
  params TEXT,
  created_at INTEGER NOT NULL,
  started_at INTEGER,
  ended_at INTEGER,
  error TEXT
);

CREATE TABLE task_steps (
  id INTEGER PRIMARY KEY,
  task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  name TEXT NOT NULL,
  host_id TEXT,
  command TEXT,
  is_undo INTEGER NOT NULL DEFAULT 0,
  started_at INTEGER,
  ended_at INTEGER,
  exit_code INTEGER,
  output TEXT,
  error TEXT
);
`,
  },
  {
    version: 2,
    name: 'warn engine',
    sql: `
-- alerts: who acknowledged, names as they were, flapping; one open alert per rule × target
ALTER TABLE alerts ADD COLUMN host_id TEXT;
ALTER TABLE alerts ADD COLUMN rule_name TEXT;
ALTER TABLE alerts ADD COLUMN target_name TEXT;
ALTER TABLE alerts ADD COLUMN ack_at INTEGER;
ALTER TABLE alerts ADD COLUMN ack_by TEXT;
ALTER TABLE alerts ADD COLUMN ack_note TEXT;
ALTER TABLE alerts ADD COLUMN flapping INTEGER NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX alerts_one_open ON alerts (rule_id, target_id) WHERE state <> 'resolved';
CREATE INDEX alerts_started ON alerts (started_at);
CREATE INDEX alert_events_alert ON alert_events (alert_id, at);

CREATE TABLE warn_rules (
  id TEXT PRIMARY KEY,
  body TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
-- a shipped rule the user removed stays removed
CREATE TABLE warn_rules_removed (id TEXT PRIMARY KEY) WITHOUT ROWID;

CREATE TABLE silences (
  id INTEGER PRIMARY KEY,
  rule_id TEXT,
  target_id TEXT,
  until INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  ended_at INTEGER,
  ended_by TEXT
);

CREATE TABLE maintenance (
  id INTEGER PRIMARY KEY,
  host_id TEXT NOT NULL,
  from_ts INTEGER NOT NULL,
  until INTEGER NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  ended_at INTEGER
);

CREATE TABLE vm_should_run (
  host_id TEXT NOT NULL,
  uuid TEXT NOT NULL,
  PRIMARY KEY (host_id, uuid)
) WITHOUT ROWID;

-- notifier settings; secrets (SMTP passwords) are never stored here
CREATE TABLE notifiers (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  body TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE notifications (
  id INTEGER PRIMARY KEY,
  alert_id INTEGER,
  notifier_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  transition TEXT NOT NULL,
  ok INTEGER NOT NULL,
  attempts INTEGER NOT NULL,
  error TEXT
);
CREATE INDEX notifications_at ON notifications (at);
`,
  },
  {
    version: 3,
    name: 'deploy groups',
    sql: `
-- groups of identical VMs (issue 7): a template, a placement policy (JSON) and a desired count;
-- instances are found by the VirtDeck tag in each domain's <metadata>, not listed here
CREATE TABLE deploy_groups (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  template TEXT NOT NULL,
  policy TEXT NOT NULL,
  desired INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
`,
  },
  {
    version: 4,
    name: 'history pages written per cycle',
    sql: `
-- chunks clustered by time (tier, start, series) instead of by series: an hour being sealed
-- lands in a few neighbouring pages and retention frees whole pages from the old end, where the
-- series-first index touched one page per series for every insert and every delete
CREATE TABLE chunks_by_time (
  tier INTEGER NOT NULL,
  start_ts INTEGER NOT NULL,
  series_id INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
  end_ts INTEGER NOT NULL,
  count INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (tier, start_ts, series_id)
) WITHOUT ROWID;
INSERT INTO chunks_by_time (tier, start_ts, series_id, end_ts, count, data)
  SELECT tier, start_ts, series_id, end_ts, count, data FROM chunks ORDER BY tier, start_ts, series_id;
DROP TABLE chunks;
ALTER TABLE chunks_by_time RENAME TO chunks;

-- the head is found by time (an index that only grows at its end); which rows a host has is kept
-- in memory. Sealed rows are no longer deleted host by host (a page per row): they go from
-- the old end once every host has sealed them; head_sealed says which rows are sealed.
DROP INDEX head_log_host_ts;
CREATE INDEX head_log_ts ON head_log (ts, host_id);
CREATE TABLE head_sealed (
  host_id TEXT PRIMARY KEY,
  -- rows of this host with ts < through and id <= max_id are in chunks
  through INTEGER NOT NULL,
  max_id INTEGER NOT NULL
) WITHOUT ROWID;
`,
  },
  {
    version: 5,
    name: 'history head in hourly tables',
    sql: '',
    // one table per hour of head rows (head_<hour start>), dropped whole once every host has
    // sealed it, instead of head_log, whose sealed rows were deleted and so written again.
    // Rows keep their ids (head_sealed's max_id still means what it did).
    migrate: (db) => {
      const hours = db
        .prepare('SELECT DISTINCT ts - (ts % 3600) AS hour FROM head_log ORDER BY hour')
        .pluck()
        .all() as number[];
      for (const hour of hours) {
        const t = `head_${Math.trunc(hour)}`;
        db.exec(
          `CREATE TABLE ${t} (id INTEGER PRIMARY KEY, host_id TEXT NOT NULL, ts INTEGER NOT NULL, data BLOB NOT NULL);` +
            `INSERT INTO ${t} (id, host_id, ts, data) SELECT id, host_id, ts, data FROM head_log WHERE ts >= ${hour} AND ts < ${hour + 3600} ORDER BY id;` +
            `CREATE INDEX ${t}_ts ON ${t} (ts, host_id);`,
        );
      }
      db.exec('DROP TABLE head_log');
    },
  },
  {
    version: 6,
    name: 'history chunks appended, a table per tier',
    sql: `
-- chunks in rowid tables, one per tier, appended in the order they are sealed and found through
-- a small (start, series) index. In the WITHOUT ROWID table of migration 4 a row stays on its
-- b-tree page only up to ~1,000 bytes (4 KiB pages): larger chunks spilled into an overflow
-- page each, and an hour's chunks went into the middle of the hour's key range, splitting
-- pages. A rowid table keeps rows up to ~4 KiB on the page and fills pages densely; one table
-- per tier keeps retention (per tier) emptying whole pages from the old end.
${(['chunks_raw', 'chunks_1m', 'chunks_1h'] as const).map(chunkTierTable).join('')}DROP TABLE chunks;
-- every tier in one place, for reading by hand and for tools
CREATE VIEW chunks AS
  SELECT 0 AS tier, start_ts, series_id, end_ts, count, data FROM chunks_raw
  UNION ALL SELECT 1, start_ts, series_id, end_ts, count, data FROM chunks_1m
  UNION ALL SELECT 2, start_ts, series_id, end_ts, count, data FROM chunks_1h;
`,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
