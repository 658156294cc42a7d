// Alerts and their history in SQLite: a row per fired alert (one open per rule × target, enforced
// by a unique index), an event per transition, acknowledgement and notification.
import type { Database as Db } from 'better-sqlite3';
import type { Alert, AlertEvent, AlertState, AlertTarget, Severity } from '../../shared/model/warn';

interface AlertRow {
  id: number;
  rule_id: string;
  rule_name: string | null;
  target_kind: string;
  target_id: string;
  host_id: string | null;
  target_name: string | null;
  severity: string;
  state: string;
  started_at: number;
  fired_at: number | null;
  resolved_at: number | null;
  reason: string | null;
  reason_data: string | null;
  ack_at: number | null;
  ack_by: string | null;
  ack_note: string | null;
  flapping: number;
}

function parseJson(text: string | null): Record<string, unknown> {
  if (!text) return {};
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function toAlert(r: AlertRow): Alert {
  return {
    id: r.id,
    ruleId: r.rule_id,
    ruleName: r.rule_name ?? r.rule_id,
    severity: r.severity as Severity,
    state: r.state as AlertState,
    target: {
      kind: r.target_kind as AlertTarget['kind'],
      id: r.target_id,
      hostId: r.host_id ?? r.target_id.split('/')[0] ?? r.target_id,
      name: r.target_name ?? r.target_id,
    },
    startedAt: r.started_at,
    firedAt: r.fired_at,
    resolvedAt: r.resolved_at,
    reason: r.reason ?? '',
    reasonData: parseJson(r.reason_data),
    ack: r.ack_at !== null ? { at: r.ack_at, by: r.ack_by ?? '', note: r.ack_note ?? '' } : null,
    silencedUntil: null,
    maintenance: false,
    flapping: r.flapping === 1,
  };
}

export interface FiredAlert {
  ruleId: string;
  ruleName: string;
  severity: Severity;
  target: AlertTarget;
  startedAt: number;
  firedAt: number;
  reason: string;
  reasonData: Record<string, unknown>;
  flapping: boolean;
}

function statements(db: Db) {
  return {
    open: db.prepare("SELECT * FROM alerts WHERE state <> 'resolved' ORDER BY fired_at"),
    get: db.prepare('SELECT * FROM alerts WHERE id = ?'),
    list: db.prepare(
      `SELECT * FROM alerts WHERE (@state = 'all' OR (@state = 'resolved') = (state = 'resolved'))
       AND (@host IS NULL OR host_id = @host) ORDER BY COALESCE(resolved_at, fired_at) DESC LIMIT @limit`,
    ),
    insert: db.prepare(
      `INSERT INTO alerts (rule_id, rule_name, target_kind, target_id, host_id, target_name, severity, state,
         started_at, fired_at, reason, reason_data, flapping)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'firing', ?, ?, ?, ?, ?)`,
    ),
    resolve: db.prepare("UPDATE alerts SET state = 'resolved', resolved_at = ? WHERE id = ?"),
    ack: db.prepare('UPDATE alerts SET ack_at = ?, ack_by = ?, ack_note = ? WHERE id = ?'),
    event: db.prepare('INSERT INTO alert_events (alert_id, at, kind, actor, note) VALUES (?, ?, ?, ?, ?)'),
    events: db.prepare('SELECT * FROM alert_events WHERE alert_id = ? ORDER BY at, id'),
    notification: db.prepare(
      'INSERT INTO notifications (alert_id, notifier_id, at, transition, ok, attempts, error) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    prune: db.prepare("DELETE FROM alerts WHERE state = 'resolved' AND resolved_at < ?"),
    pruneNotifications: db.prepare('DELETE FROM notifications WHERE at < ?'),
  };
}

export class AlertRepo {
  private readonly q: ReturnType<typeof statements>;

  constructor(private readonly db: Db) {
    this.q = statements(db);
  }

  openAlerts(): Alert[] {
    return (this.q.open.all() as AlertRow[]).map(toAlert);
  }

  get(id: number): Alert | null {
    const r = this.q.get.get(id) as AlertRow | undefined;
    return r ? toAlert(r) : null;
  }

  list(state: 'active' | 'resolved' | 'all', hostId: string | undefined, limit: number): Alert[] {
    const rows = this.q.list.all({ state, host: hostId ?? null, limit }) as AlertRow[];
    return rows.map(toAlert);
  }

  /** Stores a fired alert and its first events in one transaction; returns its id. */
  fired(a: FiredAlert): number {
    return this.db.transaction(() => {
      const info = this.q.insert.run(
        a.ruleId,
        a.ruleName,
        a.target.kind,
        a.target.id,
        a.target.hostId,
        a.target.name,
        a.severity,
        a.startedAt,
        a.firedAt,
        a.reason,
        JSON.stringify(a.reasonData),
        a.flapping ? 1 : 0,
      );
      const id = Number(info.lastInsertRowid);
      this.q.event.run(id, a.startedAt, 'pending', null, null);
      this.q.event.run(id, a.firedAt, 'fired', null, a.reason);
      return id;
    })();
  }

  /** Resolves an alert; the row keeps why it fired, the event says why it ended. */
  resolved(id: number, at: number, reason: string): void {
    this.db.transaction(() => {
      this.q.resolve.run(at, id);
      this.q.event.run(id, at, 'resolved', null, reason);
    })();
  }

  ack(id: number, at: number, by: string, note: string): void {
    this.db.transaction(() => {
      this.q.ack.run(at, by, note, id);
      this.q.event.run(id, at, 'acknowledged', by, note || null);
    })();
  }

  /** Withdraws an acknowledgement; the event says who did. */
  unack(id: number, at: number, by: string): void {
    this.db.transaction(() => {
      this.q.ack.run(null, null, null, id);
      this.q.event.run(id, at, 'unacknowledged', by, null);
    })();
  }

  event(id: number, at: number, kind: AlertEvent['kind'], actor: string | null, note: string | null): void {
    this.q.event.run(id, at, kind, actor, note);
  }

  events(id: number): AlertEvent[] {
    const rows = this.q.events.all(id) as {
      alert_id: number;
      at: number;
      kind: string;
      actor: string | null;
      note: string | null;
    }[];
    return rows.map((r) => ({
      alertId: r.alert_id,
      at: r.at,
      kind: r.kind as AlertEvent['kind'],
      actor: r.actor,
      note: r.note,
    }));
  }

  notification(
    alertId: number | null,
    notifierId: string,
    at: number,
    transition: string,
    ok: boolean,
    attempts: number,
    error: string | null,
  ): void {
    this.q.notification.run(alertId, notifierId, at, transition, ok ? 1 : 0, attempts, error);
  }

  /** Resolved alerts older than this go (with their events): the alert history's retention. */
  prune(before: number): void {
    this.q.prune.run(before);
    this.q.pruneNotifications.run(before);
  }
}
