// The warn evaluator: (rules, state, world, now) → transitions. Deterministic — no clock, no I/O;
// the state it is given is the caller's and is updated in place (10k VMs per cycle, no copies).
// A host's snapshot counts once (by its time); late data is "no data", never "value 0".
import type { HostSnapshot, VmFigures } from '../../shared/model/metrics';
import type { AlertTarget, Rule, ThresholdRule, VmStateRule, VmVanishedRule } from '../../shared/model/warn';
import { FLAP_FIRES, FLAP_HOLD_MS, FLAP_WINDOW_MS, STOP_ACTIONS, entriesOf } from './eval-state';
import type { Entry, EvalState, HostObservation, Phase, Transition, VmTrack, World } from './eval-state';
import { hostStatusReason, noDataReason, thresholdCheck, vmStateReason } from './rule-checks';
import { scopeTest } from './scope';
import { inMaintenance, silencedUntil } from './suppression';

/** Actions after which a VM's disappearance is the user's doing. */
const REMOVE_ACTIONS = new Set(['delete', 'undefine', 'migrate']);

const isRunning = (state: string) => state === 'running' || state === 'idle';

/** A snapshot older than this is late: its values are not evaluated. */
export function lateAfterMs(h: HostObservation): number {
  return (h.intervalSec * 2 + h.timeoutSec + 5) * 1000;
}

class Evaluation {
  readonly out: Transition[] = [];
  private globalUuids: Map<string, string> | null = null;
  /** Enabled VM-state rules that name libvirt reasons: they inhibit the general ones. */
  specificStateRules: VmStateRule[] = [];

  constructor(
    readonly state: EvalState,
    readonly world: World,
    readonly now: number,
  ) {}

  emit(rule: Pick<Rule, 'id' | 'name' | 'severity'>, e: Entry, from: Phase, to: Transition['to'], at: number): void {
    const silenced = silencedUntil(this.world.silences, rule.id, e.target, this.now);
    const maintenance = this.inMaintenance(e.target.hostId);
    const worth = to === 'firing' || (to === 'resolved' && from === 'firing');
    this.out.push({
      ruleId: rule.id,
      ruleName: rule.name,
      severity: rule.severity,
      target: e.target,
      from,
      to,
      at,
      reason: e.reason,
      reasonData: e.reasonData,
      entry: e,
      flapping: e.flapping,
      silencedUntil: silenced,
      maintenance,
      notify: worth && silenced === null && !maintenance,
    });
  }

  inMaintenance(hostId: string): boolean {
    return inMaintenance(this.world.maintenance, hostId, this.now);
  }

  fire(rule: Rule, e: Entry, at: number): void {
    const from = e.phase;
    e.phase = 'firing';
    e.firedAt = at;
    e.clearSince = null;
    const key = `${rule.id}|${e.target.id}`;
    const fires = (this.state.fires.get(key) ?? []).filter((t) => at - t < FLAP_WINDOW_MS);
    fires.push(at);
    this.state.fires.set(key, fires);
    e.flapping = fires.length >= FLAP_FIRES;
    this.emit(rule, e, from, 'firing', at);
  }

  end(rule: Pick<Rule, 'id' | 'name' | 'severity'>, byTarget: Map<string, Entry>, e: Entry, at: number, why?: string) {
    byTarget.delete(e.key);
    if (why !== undefined) e.reason = why;
    this.emit(rule, e, e.phase, e.phase === 'firing' ? 'resolved' : 'inactive', at);
  }

  /**
   * One step of a rule on one target: `cond` true/false/null (unknown: nothing changes).
   * `reason` is built only when an alert starts or fires (not on every cycle).
   */
  step(
    rule: Rule,
    byTarget: Map<string, Entry>,
    key: string,
    target: () => AlertTarget,
    cond: boolean | null,
    at: number,
    forMs: number,
    forCycles: number | undefined,
    reason: () => { text: string; data: Record<string, unknown> },
  ): void {
    let e = byTarget.size ? byTarget.get(key) : undefined;
    if (e) e.seen = at;
    if (cond === null) return;
    if (cond) {
      if (!e) {
        const r = reason();
        e = {
          ruleId: rule.id,
          key,
          target: target(),
          phase: 'pending',
          since: at,
          cycles: 0,
          seen: at,
          firedAt: null,
          alertId: 0,
          reason: r.text,
          reasonData: r.data,
          clearSince: null,
          flapping: false,
        };
        byTarget.set(key, e);
        this.emit(rule, e, 'inactive', 'pending', at);
      }
      e.clearSince = null;
      if (e.phase === 'firing') return;
      e.cycles += 1;
      const due = forCycles !== undefined ? e.cycles >= forCycles : at - e.since >= forMs;
      if (due) {
        const r = reason();
        e.reason = r.text;
        e.reasonData = r.data;
        this.fire(rule, e, at);
      }
      return;
    }
    if (!e) return;
    if (e.phase === 'firing' && e.flapping) {
      if (e.clearSince === null) e.clearSince = at;
      if (at - e.clearSince < FLAP_HOLD_MS) return;
    }
    // the resolution says what holds now (the stored alert keeps why it fired)
    this.end(rule, byTarget, e, at, e.phase === 'firing' ? `resolved: ${reason().text}` : undefined);
  }

  /** Entries of a per-target rule whose target was absent from this snapshot resolve. */
  sweep(rule: Rule, byTarget: Map<string, Entry>, ts: number): void {
    for (const e of byTarget.values()) {
      if (e.seen < ts)
        this.end(rule, byTarget, e, ts, `${e.target.name} is gone from its host or out of the rule's scope`);
    }
  }

  uuidsEverywhere(): Map<string, string> {
    if (this.globalUuids) return this.globalUuids;
    const m = new Map<string, string>();
    for (const h of this.world.hosts) for (const v of h.snapshot?.vms ?? []) if (v.uuid) m.set(v.uuid, h.id);
    return (this.globalUuids = m);
  }

  /** Expected to run: autostart, marked "should run", or it ran and VirtDeck did not stop it. */
  expected(hostId: string, vm: VmFigures, track: VmTrack | undefined): string | null {
    if (vm.autostart === true) return 'autostart is on';
    if (vm.uuid && this.world.shouldRun(hostId, vm.uuid)) return 'marked "should run"';
    if (!track?.expected || !vm.uuid) return null;
    if (stoppedByUser(this.world, hostId, vm.uuid, track)) return null;
    return 'it was running and was not stopped through VirtDeck';
  }
}

/** A VirtDeck stop-like action since the VM's latest running streak began. */
function stoppedByUser(world: World, hostId: string, uuid: string, track: VmTrack): boolean {
  const ua = world.userAction(hostId, uuid);
  return ua !== null && STOP_ACTIONS.has(ua.action) && ua.at >= (track.runningSince ?? 0);
}

function hostTarget(h: HostObservation): AlertTarget {
  return { kind: 'host', id: h.id, hostId: h.id, name: h.name };
}

function vmTarget(h: HostObservation, vm: VmFigures, uuid: string): () => AlertTarget {
  return () => ({ kind: 'vm', id: `${h.id}/${uuid}`, hostId: h.id, name: vm.name });
}

/** Host and pool threshold rules on one fresh snapshot. */
function evaluateHostFigures(ev: Evaluation, rule: ThresholdRule, h: HostObservation, snap: HostSnapshot): void {
  const byTarget = entriesOf(ev.state, rule.id, h.id);
  const inScope = scopeTest(rule.scope);
  const check = thresholdCheck(rule);
  const forMs = rule.forSec * 1000;
  const ts = snap.ts;
  if (rule.target === 'host') {
    if (snap.host && inScope(h.id, h.id, h.name)) {
      const fig = snap.host;
      const cond = check.host(fig, byTarget.get(h.id)?.phase === 'firing');
      const reason = () => check.reason(fig, 'host');
      ev.step(rule, byTarget, h.id, () => hostTarget(h), cond, ts, forMs, rule.forCycles, reason);
    }
  } else {
    for (const p of snap.host?.pools ?? []) {
      if (!inScope(h.id, p.name, p.name)) continue;
      const target = (): AlertTarget => ({
        kind: 'pool',
        id: `${h.id}/${p.name}`,
        hostId: h.id,
        name: `${h.name}/${p.name}`,
      });
      const cond = check.pool(p, byTarget.get(p.name)?.phase === 'firing');
      ev.step(rule, byTarget, p.name, target, cond, ts, forMs, rule.forCycles, () => check.reason(p, 'pool'));
    }
  }
  if (byTarget.size) ev.sweep(rule, byTarget, ts);
}

const stateSets = new WeakMap<VmStateRule, ReadonlySet<string>>();
function statesOf(rule: VmStateRule): ReadonlySet<string> {
  let set = stateSets.get(rule);
  if (!set) stateSets.set(rule, (set = new Set(rule.states)));
  return set;
}

/**
 * Every VM rule (thresholds on VMs, VM states) on one fresh snapshot, in one pass over its VMs.
 * The common case — nothing to start, nothing open — costs a test per rule and no allocation.
 */
function evaluateVms(
  ev: Evaluation,
  thresholds: readonly ThresholdRule[],
  stateRules: readonly VmStateRule[],
  h: HostObservation,
  snap: HostSnapshot,
): void {
  const ts = snap.ts;
  const T = thresholds.map((rule) => ({
    rule,
    check: thresholdCheck(rule),
    by: entriesOf(ev.state, rule.id, h.id),
    inScope: scopeTest(rule.scope),
    forMs: rule.forSec * 1000,
  }));
  const S = stateRules.map((rule) => ({
    rule,
    by: entriesOf(ev.state, rule.id, h.id),
    inScope: scopeTest(rule.scope),
    states: statesOf(rule),
    specific: rule.reasons?.length ? [] : ev.specificStateRules,
  }));
  const tracks = ev.state.vms.get(h.id);
  for (const vm of snap.vms) {
    const uuid = vm.uuid;
    if (uuid === null) continue;
    // a stopped VM has no load: only running VMs are measured
    const running = isRunning(vm.state);
    for (const x of T) {
      const e = x.by.size ? x.by.get(uuid) : undefined;
      const cond = running ? x.check.vm(vm, e?.phase === 'firing') : e ? false : null;
      if ((!cond && !e) || !x.inScope(h.id, uuid, vm.name)) continue;
      ev.step(x.rule, x.by, uuid, vmTarget(h, vm, uuid), cond, ts, x.forMs, x.rule.forCycles, () =>
        x.check.reason(vm, 'vm'),
      );
    }
    for (const x of S) {
      const rule = x.rule;
      let cond = x.states.has(vm.state);
      if ((!cond && x.by.size === 0) || !x.inScope(h.id, uuid, vm.name)) continue;
      let why: string | null = '';
      cond &&= !rule.reasons?.length || rule.reasons.includes(vm.reason);
      // inhibition: a rule naming libvirt's reason (paused on I/O error) speaks for this VM
      if (cond && x.specific.some((r) => r.states.includes(vm.state) && r.reasons?.includes(vm.reason))) cond = false;
      const e = x.by.get(uuid);
      if (cond && rule.onlyWhenExpected) {
        why = ev.expected(h.id, vm, tracks?.get(uuid));
        // restored after a restart (no track yet): the alert itself is the evidence
        if (why === null && e?.phase === 'firing') why = 'it was expected to run when this alert fired';
        cond = why !== null;
      }
      if (!cond && !e) continue;
      ev.step(rule, x.by, uuid, vmTarget(h, vm, uuid), cond, ts, rule.forSec * 1000, undefined, () =>
        vmStateReason(vm, h.name, why),
      );
    }
  }
  for (const x of T) if (x.by.size) ev.sweep(x.rule, x.by, ts);
  for (const x of S) if (x.by.size) ev.sweep(x.rule, x.by, ts);
}

/**
 * A VM gone from its host without a VirtDeck action (after updateTracks: `gone` are the tracks
 * it dropped). Open alerts end when the VM is back, or shows up on another host.
 */
function evaluateVanished(
  ev: Evaluation,
  rule: VmVanishedRule,
  h: HostObservation,
  ts: number,
  gone: readonly [string, VmTrack][],
): void {
  const byTarget = entriesOf(ev.state, rule.id, h.id);
  const tracks = ev.state.vms.get(h.id);
  for (const e of byTarget.values()) {
    const elsewhere = ev.uuidsEverywhere().get(e.key);
    if (tracks?.has(e.key)) ev.end(rule, byTarget, e, ts, `${e.target.name} is back on its host`);
    else if (elsewhere !== undefined) ev.end(rule, byTarget, e, ts, `${e.target.name} now runs on host ${elsewhere}`);
  }
  const inScope = scopeTest(rule.scope);
  for (const [uuid, track] of gone) {
    if (!inScope(h.id, uuid, track.name) || byTarget.has(uuid) || ev.uuidsEverywhere().has(uuid)) continue;
    const ua = ev.world.userAction(h.id, uuid);
    if (ua && REMOVE_ACTIONS.has(ua.action)) continue;
    const target = (): AlertTarget => ({ kind: 'vm', id: `${h.id}/${uuid}`, hostId: h.id, name: track.name });
    ev.step(rule, byTarget, uuid, target, true, ts, 0, undefined, () => ({
      text: `VM '${track.name}' disappeared from host '${h.name}' without a VirtDeck action (last state: ${track.state})`,
      data: { uuid, lastState: track.state },
    }));
  }
}

function evaluateHostRule(ev: Evaluation, rule: Rule, h: HostObservation): void {
  if (rule.kind !== 'host-status' && rule.kind !== 'no-data') return;
  const inScope = scopeTest(rule.scope);
  if (!inScope(h.id, h.id, h.name)) return;
  const byTarget = entriesOf(ev.state, rule.id, h.id);
  const target = () => hostTarget(h);
  if (rule.kind === 'host-status') {
    // 'connecting' (a start or a reconnect) says nothing yet: an open alert neither resolves nor repeats
    const cond = h.status === 'connecting' ? null : rule.statuses.includes(h.status);
    ev.step(rule, byTarget, h.id, target, cond, ev.now, rule.forSec * 1000, undefined, () => hostStatusReason(h));
  } else {
    const last = h.lastSeen ?? h.watchedSince;
    const cond = ev.now - last >= rule.afterSec * 1000;
    ev.step(rule, byTarget, h.id, target, cond, ev.now, 0, undefined, () => noDataReason(h, ev.now));
  }
}

/** After the rules: what each VM was, for expectations and disappearance next time (in place). */
function updateTracks(
  ev: Evaluation,
  h: HostObservation,
  snap: HostSnapshot,
  maintenance: boolean,
): [string, VmTrack][] {
  let tracks = ev.state.vms.get(h.id);
  if (!tracks) ev.state.vms.set(h.id, (tracks = new Map()));
  let present = 0;
  for (const vm of snap.vms) {
    if (!vm.uuid) continue;
    present++;
    let t = tracks.get(vm.uuid);
    const wasRunning = t !== undefined && isRunning(t.state);
    if (!t) {
      t = { name: vm.name, state: vm.state, runningSince: null, expected: false, seen: snap.ts };
      tracks.set(vm.uuid, t);
    }
    t.seen = snap.ts;
    if (isRunning(vm.state)) {
      if (!wasRunning || t.runningSince === null) t.runningSince = snap.ts;
      t.expected = true;
    } else if (t.expected && (maintenance || stoppedByUser(ev.world, h.id, vm.uuid, t))) {
      t.expected = false;
    }
    t.state = vm.state;
    t.name = vm.name;
  }
  const gone: [string, VmTrack][] = [];
  if (tracks.size > present) {
    for (const [uuid, t] of tracks) {
      if (t.seen === snap.ts) continue;
      tracks.delete(uuid);
      gone.push([uuid, t]);
    }
  }
  return gone;
}

/** Resolves every entry of a rule (or of a host) that is no longer evaluated. */
function retire(ev: Evaluation, rules: readonly Rule[], hostIds: Set<string>): void {
  const live = new Map(rules.filter((r) => r.enabled).map((r) => [r.id, r]));
  for (const [ruleId, byHost] of ev.state.entries) {
    const rule = live.get(ruleId);
    for (const [hostId, byTarget] of byHost) {
      const why = !rule ? 'the rule was disabled or removed' : !hostIds.has(hostId) ? 'the host was removed' : null;
      if (why === null) continue;
      const named = rule ?? { id: ruleId, name: ruleId, severity: 'info' as const };
      for (const e of byTarget.values()) ev.end(named, byTarget, e, ev.now, `${e.reason} — resolved: ${why}`);
      byHost.delete(hostId);
    }
    if (byHost.size === 0) ev.state.entries.delete(ruleId);
  }
}

export function evaluate(rules: readonly Rule[], state: EvalState, world: World, now: number): Transition[] {
  const ev = new Evaluation(state, world, now);
  const vmThresholds = rules.filter(
    (r): r is ThresholdRule => r.enabled && r.kind === 'threshold' && r.target === 'vm',
  );
  const vmStates = rules.filter((r): r is VmStateRule => r.enabled && r.kind === 'vm-state');
  ev.specificStateRules = rules.filter(
    (r): r is VmStateRule => r.enabled && r.kind === 'vm-state' && !!r.reasons?.length,
  );
  const hostIds = new Set<string>();
  for (const h of world.hosts) {
    if (!h.enabled) continue;
    hostIds.add(h.id);
    const snap = h.snapshot;
    const fresh = snap !== null && snap.ts > (state.lastTs.get(h.id) ?? -Infinity);
    const maintenance = ev.inMaintenance(h.id);
    const timely = fresh && now - snap.ts <= lateAfterMs(h);
    if (!maintenance) {
      for (const rule of rules) {
        if (!rule.enabled) continue;
        if (rule.kind === 'host-status' || rule.kind === 'no-data') evaluateHostRule(ev, rule, h);
        else if (timely && rule.kind === 'threshold' && rule.target !== 'vm') evaluateHostFigures(ev, rule, h, snap);
      }
      if (timely) evaluateVms(ev, vmThresholds, vmStates, h, snap);
    }
    if (fresh) {
      const gone = updateTracks(ev, h, snap, maintenance);
      state.lastTs.set(h.id, snap.ts);
      if (timely && !maintenance) {
        for (const rule of rules)
          if (rule.enabled && rule.kind === 'vm-vanished') evaluateVanished(ev, rule, h, snap.ts, gone);
      }
    }
  }
  retire(ev, rules, hostIds);
  return ev.out;
}
