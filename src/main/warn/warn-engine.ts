// The warn engine as the app runs it: evaluates after host cycles (coalesced) and on a tick,
// stores fired/resolved alerts, restores open ones at start (no second notification), and hands
// transitions to the notifiers without waiting for them.
import type { Database as Db } from 'better-sqlite3';
import type { HostView } from '../../shared/model/host';
import type { HostSnapshot } from '../../shared/model/metrics';
import type { Alert, AlertTarget, MaintenanceWindow, Rule, Silence } from '../../shared/model/warn';
import type { EventHub } from '../../shared/rpc/event-hub';
import { AlertRepo } from '../store/alert-repo';
import { openDatabase } from '../store/database';
import { WarnConfigRepo } from '../store/warn-config-repo';
import { Dispatcher } from './dispatcher';
import { allEntries, emptyState, localKey, restoreState } from './eval-state';
import type { Entry, EvalState, HostObservation, Transition, UserAction, World } from './eval-state';
import { evaluate } from './evaluator';
import type { AlertNotification } from './notifiers/message';
import { RuleBook } from './rule-book';
import { NotifierBook } from './notifier-book';
import { inMaintenance, silencedUntil } from './suppression';

export interface Suppression {
  now: number;
  silences: readonly Silence[];
  maintenance: readonly MaintenanceWindow[];
}

/** Resolved alerts are kept this long. */
const ALERT_HISTORY_MS = 365 * 86_400_000;

export interface WarnEngineDeps {
  /** The history database (null when it cannot be used: alerts then live in memory only). */
  db: Db | null;
  dataDir: string;
  hub: EventHub;
  hosts(): readonly HostView[];
  snapshots(): readonly HostSnapshot[];
  userAction?: (hostId: string, uuid: string) => UserAction | null;
  log(line: string): void;
  now?: () => number;
  /** Evaluation tick for time-based rules (no data, host status), ms. */
  tickMs?: number;
  /** Notifier retry backoff base, ms. */
  backoffMs?: number;
}

export class WarnEngine {
  readonly alerts: AlertRepo;
  readonly config: WarnConfigRepo;
  readonly rules: RuleBook;
  readonly notifiers: NotifierBook;
  readonly dispatcher: Dispatcher;
  /** False when alerts are kept in memory only (the history file is unusable). */
  readonly persistent: boolean;
  private state: EvalState;
  private readonly watchedSince = new Map<string, number>();
  private shouldRun = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private scheduled: NodeJS.Timeout | null = null;
  private lastPrune = 0;
  readonly now: () => number;
  readonly hubEmit: EventHub['emit'];

  constructor(private readonly deps: WarnEngineDeps) {
    this.now = deps.now ?? Date.now;
    this.hubEmit = deps.hub.emit.bind(deps.hub);
    this.persistent = deps.db !== null;
    const db = deps.db ?? openDatabase(':memory:');
    this.alerts = new AlertRepo(db);
    this.config = new WarnConfigRepo(db);
    this.rules = new RuleBook(this.config, deps.log);
    this.notifiers = new NotifierBook(this.config, db, deps.log);
    this.shouldRun = this.config.shouldRun();
    this.state = restoreState(this.alerts.openAlerts());
    this.dispatcher = new Dispatcher({
      notifiers: () => this.notifiers.list(),
      ctx: {
        dataDir: deps.dataDir,
        secret: (id) => this.notifiers.secret(id),
        desktop: (notice) => deps.hub.emit('alert.notified', notice),
      },
      record: (n, notifierId, ok, attempts, error) => {
        if (!n.test) this.alerts.notification(n.alarm_id, notifierId, this.now(), n.current, ok, attempts, error);
      },
      onStatus: (s) => deps.hub.emit('notifier.statusChanged', s),
      log: deps.log,
      now: this.now,
      ...(deps.backoffMs !== undefined ? { backoffMs: deps.backoffMs } : {}),
    });
  }

  start(): void {
    this.timer = setInterval(() => this.evaluateNow(), this.deps.tickMs ?? 5000);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.scheduled) clearTimeout(this.scheduled);
    this.timer = this.scheduled = null;
  }

  /** A host cycle arrived: evaluate soon, once for all cycles arriving together. */
  onSnapshot(): void {
    if (this.scheduled) return;
    this.scheduled = setTimeout(() => {
      this.scheduled = null;
      this.evaluateNow();
    }, 50);
    this.scheduled.unref?.();
  }

  world(): World {
    const now = this.now();
    const snaps = new Map(this.deps.snapshots().map((s) => [s.hostId, s]));
    const hosts: HostObservation[] = this.deps.hosts().map((v) => {
      let since = this.watchedSince.get(v.config.id);
      if (since === undefined) this.watchedSince.set(v.config.id, (since = now));
      return {
        id: v.config.id,
        name: v.config.name,
        status: v.status,
        reason: v.reason,
        lastSeen: v.lastSeen,
        watchedSince: since,
        intervalSec: v.config.intervalSec,
        timeoutSec: v.config.timeoutSec,
        enabled: v.config.enabled && v.status !== 'disabled',
        snapshot: snaps.get(v.config.id) ?? null,
      };
    });
    return {
      hosts,
      silences: this.config.silences(now),
      maintenance: this.config.maintenance(now),
      shouldRun: (hostId, uuid) => this.shouldRun.has(`${hostId}/${uuid}`),
      userAction: this.deps.userAction ?? (() => null),
    };
  }

  /** One evaluation over every host; returns the transitions (tests, bench). */
  evaluateNow(): Transition[] {
    const now = this.now();
    const transitions = evaluate(this.rules.list(), this.state, this.world(), now);
    for (const t of transitions) this.apply(t);
    if (now - this.lastPrune > 86_400_000) {
      this.lastPrune = now;
      this.guard('prune', () => this.alerts.prune(now - ALERT_HISTORY_MS));
    }
    return transitions;
  }

  private guard<T>(what: string, fn: () => T): T | null {
    try {
      return fn();
    } catch (e) {
      this.deps.log(`warn: could not ${what}: ${(e as Error).message}`);
      return null;
    }
  }

  private apply(t: Transition): void {
    if (t.to === 'pending' || t.to === 'inactive') return; // pending lives in memory; the UI lists it
    const e = t.entry;
    if (t.to === 'firing') {
      const id = this.guard('store a fired alert', () =>
        this.alerts.fired({
          ruleId: t.ruleId,
          ruleName: t.ruleName,
          severity: t.severity,
          target: t.target,
          startedAt: e.since,
          firedAt: t.at,
          reason: t.reason,
          reasonData: t.reasonData,
          flapping: t.flapping,
        }),
      );
      e.alertId = id ?? -Math.abs(e.since);
    } else if (e.alertId > 0) {
      const id = e.alertId;
      this.guard('store a resolved alert', () => this.alerts.resolved(id, t.at, t.reason));
    }
    const rule = { name: t.ruleName, severity: t.severity };
    const alert = this.alertOf(
      e,
      rule,
      t.to === 'firing' ? 'firing' : 'resolved',
      t.to === 'resolved' ? t.at : null,
      this.suppression(),
    );
    this.deps.hub.emit('alert.changed', alert);
    if (t.notify) this.dispatcher.dispatch(this.notification(alert, t.from, t.to, false));
  }

  /** An entry as the UI and notifiers see it: the stored row once fired, else built from memory. */
  private alertOf(
    e: Entry,
    rule: Pick<Rule, 'name' | 'severity'> | undefined,
    state: Alert['state'],
    resolvedAt: number | null,
    sup: Suppression,
  ): Alert {
    const stored = e.alertId > 0 ? this.guard('read an alert', () => this.alerts.get(e.alertId)) : null;
    return this.decorate(
      stored ?? {
        id: e.alertId,
        ruleId: e.ruleId,
        ruleName: rule?.name ?? e.ruleId,
        severity: rule?.severity ?? 'info',
        state,
        target: e.target,
        startedAt: e.since,
        firedAt: e.firedAt,
        resolvedAt,
        reason: e.reason,
        reasonData: e.reasonData,
        ack: null,
        silencedUntil: null,
        maintenance: false,
        flapping: e.flapping,
      },
      sup,
    );
  }

  notification(alert: Alert, previous: string, current: string, test: boolean): AlertNotification {
    return {
      alarm_id: alert.id,
      previous,
      current,
      reason: alert.reason,
      reason_data: alert.reasonData,
      alert,
      test,
    };
  }

  /** The silences and maintenance windows in force now (read once per listing, not per alert). */
  suppression(): Suppression {
    const now = this.now();
    return { now, silences: this.config.silences(now), maintenance: this.config.maintenance(now) };
  }

  /** Silence and maintenance as they stand now. */
  decorate(a: Alert, sup: Suppression = this.suppression()): Alert {
    return {
      ...a,
      silencedUntil: silencedUntil(sup.silences, a.ruleId, a.target, sup.now),
      maintenance: inMaintenance(sup.maintenance, a.target.hostId, sup.now),
    };
  }

  /** Pending (memory) and firing (stored) alerts, newest first. */
  active(hostId?: string): Alert[] {
    const rules = new Map(this.rules.list().map((r): [string, Rule] => [r.id, r]));
    const sup = this.suppression();
    const out: Alert[] = [];
    for (const e of allEntries(this.state)) {
      if (hostId === undefined || e.target.hostId === hostId)
        out.push(this.alertOf(e, rules.get(e.ruleId), e.phase, null, sup));
    }
    return out.sort((a, b) => (b.firedAt ?? b.startedAt) - (a.firedAt ?? a.startedAt));
  }

  /**
   * Where a rule (edited, not saved) would fire now if its duration were already met: one
   * evaluation on a scratch state (VM history copied so "expected to run" means the same).
   */
  preview(rule: Rule): AlertTarget[] {
    const scratch = emptyState();
    for (const [hostId, tracks] of this.state.vms) {
      scratch.vms.set(hostId, new Map([...tracks].map(([uuid, t]) => [uuid, { ...t }])));
    }
    const now = this.now();
    const immediate: Rule =
      rule.kind === 'threshold'
        ? { ...rule, forSec: 0, forCycles: undefined }
        : 'forSec' in rule
          ? { ...rule, forSec: 0 }
          : rule;
    const world = this.world();
    // late snapshots are not evaluated; a preview looks at the latest figures as they are
    const fresh = {
      ...world,
      hosts: world.hosts.map((h) => ({ ...h, snapshot: h.snapshot && { ...h.snapshot, ts: now } })),
    };
    return evaluate([{ ...immediate, enabled: true }], scratch, fresh, now)
      .filter((t) => t.to === 'firing')
      .map((t) => t.target);
  }

  setShouldRun(hostId: string, uuid: string, on: boolean): void {
    this.config.setShouldRun(hostId, uuid, on);
    this.shouldRun = this.config.shouldRun();
    this.evaluateNow();
  }

  /** Ends a firing entry by hand (a vanished VM the user has dealt with). */
  dismiss(alert: Alert, by: string): void {
    const rule = this.rules.list().find((r) => r.id === alert.ruleId);
    const byTarget = this.state.entries.get(alert.ruleId)?.get(alert.target.hostId);
    const e = byTarget?.get(localKey(alert.target));
    if (!rule || !byTarget || !e) return;
    byTarget.delete(e.key);
    const reason = `${e.reason} — dismissed by ${by}`;
    this.guard('store a resolved alert', () => this.alerts.resolved(alert.id, this.now(), reason));
  }
}
