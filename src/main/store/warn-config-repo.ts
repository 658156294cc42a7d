// The warn engine's settings in SQLite: rules (shipped ones overridden by id), silences,
// maintenance windows, "should run" marks and notifier settings (never their secrets).
import type { Database as Db } from 'better-sqlite3';
import type { MaintenanceWindow, NotifierConfig, Rule, Silence } from '../../shared/model/warn';

interface SilenceRow {
  id: number;
  rule_id: string | null;
  target_id: string | null;
  until: number;
  created_at: number;
  created_by: string;
  note: string;
}

interface MaintenanceRow {
  id: number;
  host_id: string;
  from_ts: number;
  until: number;
  note: string;
  created_by: string;
  created_at: number;
}

export class WarnConfigRepo {
  constructor(private readonly db: Db) {}

  /** Stored rule bodies (user rules and edited shipped ones) and the ids of removed shipped rules. */
  rules(): { stored: unknown[]; removed: Set<string> } {
    const stored = (this.db.prepare('SELECT body FROM warn_rules ORDER BY rowid').all() as { body: string }[]).map(
      (r) => JSON.parse(r.body) as unknown,
    );
    const removed = new Set(
      (this.db.prepare('SELECT id FROM warn_rules_removed').all() as { id: string }[]).map((r) => r.id),
    );
    return { stored, removed };
  }

  saveRule(rule: Rule, at: number): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          'INSERT INTO warn_rules (id, body, updated_at) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at',
        )
        .run(rule.id, JSON.stringify(rule), at);
      this.db.prepare('DELETE FROM warn_rules_removed WHERE id = ?').run(rule.id);
    })();
  }

  removeRule(id: string, builtin: boolean): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM warn_rules WHERE id = ?').run(id);
      if (builtin) this.db.prepare('INSERT OR IGNORE INTO warn_rules_removed (id) VALUES (?)').run(id);
    })();
  }

  /** Forgets every edit and removal of the shipped rules. */
  resetBuiltins(ids: readonly string[]): void {
    this.db.transaction(() => {
      for (const id of ids) {
        this.db.prepare('DELETE FROM warn_rules WHERE id = ?').run(id);
        this.db.prepare('DELETE FROM warn_rules_removed WHERE id = ?').run(id);
      }
    })();
  }

  silences(now: number): Silence[] {
    const rows = this.db
      .prepare('SELECT * FROM silences WHERE ended_at IS NULL AND until > ? ORDER BY until')
      .all(now) as SilenceRow[];
    return rows.map((r) => ({
      id: r.id,
      ruleId: r.rule_id,
      targetId: r.target_id,
      until: r.until,
      createdAt: r.created_at,
      createdBy: r.created_by,
      note: r.note,
    }));
  }

  addSilence(s: Omit<Silence, 'id'>): Silence {
    const info = this.db
      .prepare(
        'INSERT INTO silences (rule_id, target_id, until, created_at, created_by, note) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(s.ruleId, s.targetId, s.until, s.createdAt, s.createdBy, s.note);
    return { ...s, id: Number(info.lastInsertRowid) };
  }

  endSilence(id: number, at: number, by: string): boolean {
    return (
      this.db
        .prepare('UPDATE silences SET ended_at = ?, ended_by = ? WHERE id = ? AND ended_at IS NULL')
        .run(at, by, id).changes > 0
    );
  }

  maintenance(now: number): MaintenanceWindow[] {
    const rows = this.db
      .prepare('SELECT * FROM maintenance WHERE ended_at IS NULL AND until > ? ORDER BY from_ts')
      .all(now) as MaintenanceRow[];
    return rows.map((r) => ({
      id: r.id,
      hostId: r.host_id,
      from: r.from_ts,
      until: r.until,
      note: r.note,
      createdBy: r.created_by,
      createdAt: r.created_at,
    }));
  }

  addMaintenance(m: Omit<MaintenanceWindow, 'id'>): MaintenanceWindow {
    const info = this.db
      .prepare(
        'INSERT INTO maintenance (host_id, from_ts, until, note, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(m.hostId, m.from, m.until, m.note, m.createdBy, m.createdAt);
    return { ...m, id: Number(info.lastInsertRowid) };
  }

  endMaintenance(id: number, at: number): boolean {
    return (
      this.db.prepare('UPDATE maintenance SET ended_at = ? WHERE id = ? AND ended_at IS NULL').run(at, id).changes > 0
    );
  }

  shouldRun(): Set<string> {
    const rows = this.db.prepare('SELECT host_id, uuid FROM vm_should_run').all() as {
      host_id: string;
      uuid: string;
    }[];
    return new Set(rows.map((r) => `${r.host_id}/${r.uuid}`));
  }

  setShouldRun(hostId: string, uuid: string, on: boolean): void {
    if (on) this.db.prepare('INSERT OR IGNORE INTO vm_should_run (host_id, uuid) VALUES (?, ?)').run(hostId, uuid);
    else this.db.prepare('DELETE FROM vm_should_run WHERE host_id = ? AND uuid = ?').run(hostId, uuid);
  }

  notifiers(): unknown[] {
    return (this.db.prepare('SELECT body FROM notifiers ORDER BY rowid').all() as { body: string }[]).map(
      (r) => JSON.parse(r.body) as unknown,
    );
  }

  saveNotifier(n: NotifierConfig, at: number): void {
    this.db
      .prepare(
        'INSERT INTO notifiers (id, kind, body, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, body = excluded.body, updated_at = excluded.updated_at',
      )
      .run(n.id, n.kind, JSON.stringify(n), at);
  }

  removeNotifier(id: string): boolean {
    return this.db.prepare('DELETE FROM notifiers WHERE id = ?').run(id).changes > 0;
  }
}
