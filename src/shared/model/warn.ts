// Warn engine vocabulary shared by core and UI: rules, alerts, silences, maintenance, notifiers,
// and the figures a threshold rule may name.

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const RULE_OPS = ['>', '>=', '<', '<=', '==', '!='] as const;
export type RuleOp = (typeof RULE_OPS)[number];

/** Figures a threshold rule can test, per kind of target (rates per second, memory in KiB). */
export const RULE_METRICS = {
  vm: [
    'cpu_pct',
    'mem_pct',
    'steal_pct',
    'mem_used_kib',
    'net_rx_bps',
    'net_tx_bps',
    'net_bps',
    'disk_read_bps',
    'disk_write_bps',
    'disk_bps',
    'disk_read_iops',
    'disk_write_iops',
    'disk_iops',
    'swap_in_kibps',
    'swap_out_kibps',
  ],
  host: [
    'cpu_pct',
    'mem_pct',
    'steal_pct',
    'load1',
    'load5',
    'load15',
    'load_per_cpu',
    'mem_available_kib',
    'net_rx_bps',
    'net_tx_bps',
    'net_bps',
    'vms_running',
  ],
  pool: ['used_pct', 'available_bytes'],
} as const;
export type RuleTargetKind = keyof typeof RULE_METRICS;
export type RuleMetric<K extends RuleTargetKind = RuleTargetKind> = (typeof RULE_METRICS)[K][number];

export interface Condition {
  metric: string;
  op: RuleOp;
  value: number;
  /**
   * Hysteresis: once firing, the alert stays until the value crosses this line instead of
   * `value` (e.g. fire at ≥ 90, clear below 80). Absent: clears at `value`.
   */
  clear?: number | undefined;
}

/** Which targets a rule watches; every given field must match (absent fields match all). */
export interface RuleScope {
  /** Only these hosts (by id). */
  hostIds?: string[] | undefined;
  /** Glob on the VM, host or pool name (`web-*`, `db-[0-9]*`). */
  namePattern?: string | undefined;
  /** One target: a host id, `hostId/uuid` for a VM, `hostId/pool` for a pool. */
  targetId?: string | undefined;
}

interface RuleBase {
  id: string;
  name: string;
  description?: string | undefined;
  enabled: boolean;
  severity: Severity;
  scope: RuleScope;
  /** True for the rules VirtDeck ships (they can be edited and disabled, and reset). */
  builtin?: boolean | undefined;
}

/** `metric op value` conditions joined by AND, true for a duration (seconds or cycles). */
export interface ThresholdRule extends RuleBase {
  kind: 'threshold';
  target: RuleTargetKind;
  conditions: Condition[];
  /** Seconds the conditions must hold before firing (0: at once). */
  forSec: number;
  /** Consecutive collector cycles instead of seconds (takes precedence when set). */
  forCycles?: number | undefined;
}

/** A VM in one of these states (optionally with one of these libvirt reasons). */
export interface VmStateRule extends RuleBase {
  kind: 'vm-state';
  states: string[];
  /** libvirt's reason, e.g. `ioerror` for a VM paused on a full disk; absent: any reason. */
  reasons?: string[] | undefined;
  /** Alert only when the VM is expected to run (autostart, "should run", or ran before). */
  onlyWhenExpected: boolean;
  forSec: number;
}

/** A VM that disappears from its host without a VirtDeck action. */
export interface VmVanishedRule extends RuleBase {
  kind: 'vm-vanished';
}

/** A host whose collector reports one of these statuses. */
export interface HostStatusRule extends RuleBase {
  kind: 'host-status';
  statuses: string[];
  forSec: number;
}

/** Nothing received from a host for this long (late data is "no data", never "value 0"). */
export interface NoDataRule extends RuleBase {
  kind: 'no-data';
  afterSec: number;
}

export type Rule = ThresholdRule | VmStateRule | VmVanishedRule | HostStatusRule | NoDataRule;
export type RuleKind = Rule['kind'];

export const ALERT_STATES = ['pending', 'firing', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export interface AlertTarget {
  kind: 'host' | 'vm' | 'pool';
  /** host id, `hostId/uuid`, or `hostId/pool`. */
  id: string;
  hostId: string;
  name: string;
}

export interface AlertAck {
  by: string;
  at: number;
  note: string;
}

export interface Alert {
  /** Database id; 0 for a pending alert (pending alerts live in memory only). */
  id: number;
  ruleId: string;
  ruleName: string;
  severity: Severity;
  state: AlertState;
  target: AlertTarget;
  /** When the condition first held (pending since). */
  startedAt: number;
  firedAt: number | null;
  resolvedAt: number | null;
  /** Why, in words: `cpu_pct 97.1 >= 90 AND mem_pct 93.0 >= 90 for 3 cycles`. */
  reason: string;
  reasonData: Record<string, unknown>;
  ack: AlertAck | null;
  /** Notifications held back: silenced until this time (a rule or target silence). */
  silencedUntil: number | null;
  /** The host is in a maintenance window. */
  maintenance: boolean;
  /** Fired and resolved repeatedly lately: resolution is held back until it stays clear. */
  flapping: boolean;
}

export interface AlertEvent {
  alertId: number;
  at: number;
  kind: 'pending' | 'fired' | 'resolved' | 'acknowledged' | 'unacknowledged' | 'silenced' | 'notified';
  actor: string | null;
  note: string | null;
}

export interface Silence {
  id: number;
  /** Silence one rule (all targets), one target (all rules), or both (that pair). */
  ruleId: string | null;
  targetId: string | null;
  until: number;
  createdAt: number;
  createdBy: string;
  note: string;
}

export interface MaintenanceWindow {
  id: number;
  hostId: string;
  from: number;
  until: number;
  note: string;
  createdBy: string;
  createdAt: number;
}

export const NOTIFIER_KINDS = ['log', 'desktop', 'webhook', 'email', 'command'] as const;
export type NotifierKind = (typeof NOTIFIER_KINDS)[number];

interface NotifierBase {
  id: string;
  name: string;
  enabled: boolean;
  /** Which severities this notifier hears about. */
  severities: Severity[];
  /** Extra attempts after a failure, with exponential backoff. */
  retries: number;
  timeoutMs: number;
}

export interface LogNotifier extends NotifierBase {
  kind: 'log';
}
export interface DesktopNotifier extends NotifierBase {
  kind: 'desktop';
}
export interface WebhookNotifier extends NotifierBase {
  kind: 'webhook';
  url: string;
  /** `virtdeck`: one JSON object per transition; `alertmanager`: POST {url}/api/v2/alerts. */
  format: 'virtdeck' | 'alertmanager';
}
export interface EmailNotifier extends NotifierBase {
  kind: 'email';
  host: string;
  port: number;
  /** TLS from the first byte (465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  user?: string | undefined;
  from: string;
  to: string[];
}
export interface CommandNotifier extends NotifierBase {
  kind: 'command';
  /** Program and arguments (no shell); the alert is written to its stdin as JSON. */
  argv: string[];
}
export type NotifierConfig = LogNotifier | DesktopNotifier | WebhookNotifier | EmailNotifier | CommandNotifier;

export interface NotifierStatus {
  id: string;
  lastOkAt: number | null;
  lastErrorAt: number | null;
  lastError: string | null;
  /** The SMTP password is held for this session only (never stored in clear text). */
  needsSecret: boolean;
}

/** What a desktop (or browser) notification shows. */
export interface DesktopNotice {
  title: string;
  body: string;
  severity: Severity;
  alertId: number;
}
