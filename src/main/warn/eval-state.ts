// What the evaluator remembers between calls, what it is given each call, and what it answers.
// The caller owns the state; the evaluator only reads its inputs and this state (no clock, no I/O).
import type { HostStatus } from '../../shared/model/host';
import type { HostSnapshot } from '../../shared/model/metrics';
import type { Alert, AlertTarget, MaintenanceWindow, Severity, Silence } from '../../shared/model/warn';

/** Fired or resolved this many times within FLAP_WINDOW_MS: the alert is flapping. */
export const FLAP_FIRES = 3;
export const FLAP_WINDOW_MS = 30 * 60_000;
/** A flapping alert resolves only after its condition has stayed clear this long. */
export const FLAP_HOLD_MS = 5 * 60_000;
/** VirtDeck actions that explain a VM being paused or off (a `start` does not). */
export const STOP_ACTIONS: ReadonlySet<string> = new Set([
  'shutdown',
  'destroy',
  'forceOff',
  'suspend',
  'reboot',
  'delete',
  'undefine',
  'migrate',
  'managedsave',
]);

export interface HostObservation {
  id: string;
  name: string;
  status: HostStatus;
  reason: string | null;
  /** Epoch ms of the last successful poll. */
  lastSeen: number | null;
  /** When VirtDeck started watching this host (no-data counts from here before a first poll). */
  watchedSince: number;
  intervalSec: number;
  timeoutSec: number;
  enabled: boolean;
  snapshot: HostSnapshot | null;
}

export interface UserAction {
  action: string;
  at: number;
}

export interface World {
  hosts: readonly HostObservation[];
  silences: readonly Silence[];
  maintenance: readonly MaintenanceWindow[];
  /** Marked "should run" by the user. */
  shouldRun(hostId: string, uuid: string): boolean;
  /** The latest lifecycle action VirtDeck took on this VM, if any. */
  userAction(hostId: string, uuid: string): UserAction | null;
}

export interface Entry {
  ruleId: string;
  /** Its key among its rule's entries on its host: the VM's UUID, the pool's name, the host id. */
  key: string;
  target: AlertTarget;
  phase: 'pending' | 'firing';
  /** Sample time (or clock time for host rules) the condition first held. */
  since: number;
  /** Consecutive fresh samples the condition held. */
  cycles: number;
  firedAt: number | null;
  /** Database id once fired and stored (0 until then). */
  alertId: number;
  reason: string;
  reasonData: Record<string, unknown>;
  /** Sample time the target was last present (targets that vanish resolve). */
  seen: number;
  /** Flapping alert whose condition cleared at this time; resolves after FLAP_HOLD_MS. */
  clearSince: number | null;
  flapping: boolean;
}

export interface VmTrack {
  name: string;
  state: string;
  /** When its latest running streak began (as first seen). */
  runningSince: number | null;
  /** It ran and was not stopped through VirtDeck (or was marked by autostart/should-run). */
  expected: boolean;
  /** Time of the snapshot it was last in. */
  seen: number;
}

export interface EvalState {
  /** ruleId → hostId → local key (see Entry.key) → entry: one per rule × target while it lasts. */
  entries: Map<string, Map<string, Map<string, Entry>>>;
  /** Snapshot time last evaluated, per host: a snapshot counts once. */
  lastTs: Map<string, number>;
  /** hostId → uuid → what was last seen. */
  vms: Map<string, Map<string, VmTrack>>;
  /** ruleId|targetId → recent firing times (for flapping). */
  fires: Map<string, number[]>;
}

export type Phase = 'inactive' | 'pending' | 'firing';

export interface Transition {
  ruleId: string;
  ruleName: string;
  severity: Severity;
  target: AlertTarget;
  from: Phase;
  to: 'pending' | 'firing' | 'resolved' | 'inactive';
  at: number;
  reason: string;
  reasonData: Record<string, unknown>;
  /** The entry (the engine stores alertId on it after writing a fired alert). */
  entry: Entry;
  flapping: boolean;
  /** Held back: silenced until then. */
  silencedUntil: number | null;
  maintenance: boolean;
  /** Worth telling the notifiers (firing, or resolved after firing; not silenced or in maintenance). */
  notify: boolean;
}

export function emptyState(): EvalState {
  return { entries: new Map(), lastTs: new Map(), vms: new Map(), fires: new Map() };
}

/** After a restart: open alerts come back firing, so they are neither lost nor notified again. */
export function restoreState(open: readonly Alert[]): EvalState {
  const state = emptyState();
  for (const a of open) {
    if (a.state !== 'firing') continue;
    const key = localKey(a.target);
    entriesOf(state, a.ruleId, a.target.hostId).set(key, {
      ruleId: a.ruleId,
      key,
      target: a.target,
      phase: 'firing',
      since: a.startedAt,
      cycles: 0,
      seen: a.startedAt,
      firedAt: a.firedAt,
      alertId: a.id,
      reason: a.reason,
      reasonData: a.reasonData,
      clearSince: null,
      flapping: a.flapping,
    });
  }
  return state;
}

/** The entries of one rule on one host (created empty when absent). */
export function entriesOf(state: EvalState, ruleId: string, hostId: string): Map<string, Entry> {
  let byHost = state.entries.get(ruleId);
  if (!byHost) state.entries.set(ruleId, (byHost = new Map()));
  let byTarget = byHost.get(hostId);
  if (!byTarget) byHost.set(hostId, (byTarget = new Map()));
  return byTarget;
}

/** Every entry, pending or firing. */
export function* allEntries(state: EvalState): Generator<Entry> {
  for (const byHost of state.entries.values()) for (const byTarget of byHost.values()) yield* byTarget.values();
}

/** An entry's key on its host: what follows `hostId/` in the target id (a host: its id). */
export function localKey(t: AlertTarget): string {
  return t.kind === 'host' ? t.hostId : t.id.slice(t.hostId.length + 1);
}
