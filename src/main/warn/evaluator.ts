// The warn evaluator: (rules, state, world, now) → transitions. Deterministic — no clock, no I/O;
// the state it is given is the caller's and is updated in place (10k VMs per cycle, no copies).
// A host's snapshot counts once (by its time); late data is "no data", never "value 0".
import type { HostSnapshot, VmFigures } from '../../shared/model/metrics';
import type { AlertTarget, Rule, Silence, VmStateRule } from '../../shared/model/warn';
import { FLAP_FIRES, FLAP_HOLD_MS, FLAP_WINDOW_MS, STOP_ACTIONS, entriesOf } from './eval-state';
import type { Entry, EvalState, HostObservation, Phase, Transition, VmTrack, World } from './eval-state';
import { hostStatusReason, noDataReason, thresholdCheck, vmStateReason } from './rule-checks';
import { scopeTest } from './scope';

/** Actions after which a VM's disappearance is the user's doing. */
const REMOVE_ACTIONS = new Set(['delete', 'undefine', 'migrate']);

const isRunning = (state: string) => state === 'running' || state === 'idle';

/** A snapshot older than this is late: its values are not evaluated. */
export function lateAfterMs(h: HostObservation): number {
  return (h.intervalSec * 2 + h.timeoutSec + 5) * 1000;
}

function silenceUntil(silences: readonly Silence[], ruleId: string, target: AlertTarget, now: number): number | null {
  let until: number | null = null;
  for (const s of silences) {
    if (s.until <= now) continue;
    if (s.ruleId !== null && s.ruleId !== ruleId) continue;
    if (s.targetId !== null && s.targetId !== target.id && s.targetId !== target.hostId) continue;
    until = Math.max(until ?? 0, s.until);
  }
  return until;
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
    const silencedUntil = silenceUntil(this.world.silences, rule.id, e.target, this.now);
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
      silencedUntil,
      maintenance,
      notify: worth && silencedUntil === null && !maintenance,
    });
  }

  inMaintenance(hostId: string): boolean {
    return this.world.maintenance.some((m) => m.hostId === hostId && m.from <= this.now && this.now < m.until);
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
    byTarget.delete(e.target.id);
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
    target: AlertTarget,
    cond: boolean | null,
    at: number,
    forMs: number,
    forCycles: number | undefined,
    reason: () => { text: string; data: Record<string, unknown> },
  ): void {
    let e = byTarget.get(target.id);
    if (e) e.seen = at;
    if (cond === null) return;
    if (cond) {
      if (!e) {
        const r = reason();
        e = {
          ruleId: rule.id,
          target,
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
        byTarget.set(target.id, e);
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

const idCache = new WeakMap<HostSnapshot, (string | null)[]>();

/** `hostId/uuid` of each VM of a snapshot, made once and shared by every rule. */
function vmIds(hostId: string, snap: HostSnapshot): (string | null)[] {
  let ids = idCache.get(snap);
  if (!ids) {
    ids = snap.vms.map((v) => (v.uuid ? `${hostId}/${v.uuid}` : null));
    idCache.set(snap, ids);
  }
  return ids;
}

function hostTarget(h: HostObservation): AlertTarget {
  return { kind: 'host', id: h.id, hostId: h.id, name: h.name };
}

function evaluateSnapshot(ev: Evaluation, rule: Rule, h: HostObservation, snap: HostSnapshot): void {
  const byTarget = entriesOf(ev.state, rule.id, h.id);
  const inScope = scopeTest(rule.scope);
  const ts = snap.ts;
  if (rule.kind === 'threshold') {
    const check = thresholdCheck(rule);
    const forMs = rule.forSec * 1000;
    if (rule.target === 'host') {
      if (snap.host && inScope(h.id, h.id, h.name)) {
        const t = hostTarget(h);
        const fig = snap.host;
        const firing = byTarget.get(t.id)?.phase === 'firing';
        ev.step(rule, byTarget, t, check.host(fig, firing), ts, forMs, rule.forCycles, () => check.reason(fig, 'host'));
      }
    } else if (rule.target === 'pool') {
      for (const p of snap.host?.pools ?? []) {
        const id = `${h.id}/${p.name}`;
        if (!inScope(h.id, id, p.name)) continue;
        const t: AlertTarget = { kind: 'pool', id, hostId: h.id, name: `${h.name}/${p.name}` };
        const firing = byTarget.get(id)?.phase === 'firing';
        ev.step(rule, byTarget, t, check.pool(p, firing), ts, forMs, rule.forCycles, () => check.reason(p, 'pool'));
      }
    } else {
      const ids = vmIds(h.id, snap);
      for (let i = 0; i < snap.vms.length; i++) {
        const vm = snap.vms[i] as VmFigures;
        const id = ids[i];
        if (id === null || id === undefined || !inScope(h.id, id, vm.name)) continue;
        const e = byTarget.size ? byTarget.get(id) : undefined;
        // a stopped VM has no load: only running VMs are measured
        const cond = isRunning(vm.state) ? check.vm(vm, e?.phase === 'firing') : e ? false : null;
        if (!cond && !e) continue; // the common case: nothing to start, nothing open
        const t: AlertTarget = e?.target ?? { kind: 'vm', id, hostId: h.id, name: vm.name };
        ev.step(rule, byTarget, t, cond, ts, forMs, rule.forCycles, () => check.reason(vm, 'vm'));
      }
    }
    if (byTarget.size) ev.sweep(rule, byTarget, ts);
    return;
  }
  if (rule.kind === 'vm-state') {
    const tracks = ev.state.vms.get(h.id);
    const states = new Set(rule.states);
    const specific = rule.reasons?.length ? [] : ev.specificStateRules;
    const ids = vmIds(h.id, snap);
    for (let i = 0; i < snap.vms.length; i++) {
      const vm = snap.vms[i] as VmFigures;
      const id = ids[i];
      let cond = states.has(vm.state);
      if (!cond && byTarget.size === 0) continue; // the common case: a VM in a fine state
      if (id === null || id === undefined || vm.uuid === null || !inScope(h.id, id, vm.name)) continue;
      let why: string | null = '';
      cond &&= !rule.reasons?.length || rule.reasons.includes(vm.reason);
      // inhibition: a rule naming libvirt's reason (paused on I/O error) speaks for this VM
      if (cond && specific.some((r) => r.states.includes(vm.state) && r.reasons?.includes(vm.reason))) cond = false;
      if (cond && rule.onlyWhenExpected) {
        why = ev.expected(h.id, vm, tracks?.get(vm.uuid));
        // restored after a restart (no track yet): the alert itself is the evidence
        if (why === null && byTarget.get(id)?.phase === 'firing') why = 'it was expected to run when this alert fired';
        cond = why !== null;
      }
      if (!cond && !byTarget.has(id)) continue;
      const t: AlertTarget = byTarget.get(id)?.target ?? { kind: 'vm', id, hostId: h.id, name: vm.name };
      ev.step(rule, byTarget, t, cond, ts, rule.forSec * 1000, undefined, () => vmStateReason(vm, h.name, why));
    }
    if (byTarget.size) ev.sweep(rule, byTarget, ts);
    return;
  }
  if (rule.kind === 'vm-vanished') {
    const present = new Set<string>();
    for (const vm of snap.vms) if (vm.uuid) present.add(vm.uuid);
    for (const e of byTarget.values()) {
      const uuid = e.target.id.slice(h.id.length + 1);
      const elsewhere = ev.uuidsEverywhere().get(uuid);
      if (present.has(uuid)) ev.end(rule, byTarget, e, ts, `${e.target.name} is back on its host`);
      else if (elsewhere !== undefined) ev.end(rule, byTarget, e, ts, `${e.target.name} now runs on host ${elsewhere}`);
    }
    for (const [uuid, track] of ev.state.vms.get(h.id) ?? []) {
      if (present.has(uuid)) continue;
      const id = `${h.id}/${uuid}`;
      if (!inScope(h.id, id, track.name) || byTarget.has(id) || ev.uuidsEverywhere().has(uuid)) continue;
      const ua = ev.world.userAction(h.id, uuid);
      if (ua && REMOVE_ACTIONS.has(ua.action)) continue;
      const t: AlertTarget = { kind: 'vm', id, hostId: h.id, name: track.name };
      ev.step(rule, byTarget, t, true, ts, 0, undefined, () => ({
        text: `VM '${track.name}' disappeared from host '${h.name}' without a VirtDeck action (last state: ${track.state})`,
        data: { uuid, lastState: track.state },
      }));
    }
  }
}

function evaluateHostRule(ev: Evaluation, rule: Rule, h: HostObservation): void {
  if (rule.kind !== 'host-status' && rule.kind !== 'no-data') return;
  const inScope = scopeTest(rule.scope);
  if (!inScope(h.id, h.id, h.name)) return;
  const byTarget = entriesOf(ev.state, rule.id, h.id);
  const t = byTarget.get(h.id)?.target ?? hostTarget(h);
  if (rule.kind === 'host-status') {
    // 'connecting' (a start or a reconnect) says nothing yet: an open alert neither resolves nor repeats
    const cond = h.status === 'connecting' ? null : rule.statuses.includes(h.status);
    ev.step(rule, byTarget, t, cond, ev.now, rule.forSec * 1000, undefined, () => hostStatusReason(h));
  } else {
    const last = h.lastSeen ?? h.watchedSince;
    const cond = ev.now - last >= rule.afterSec * 1000;
    ev.step(rule, byTarget, t, cond, ev.now, 0, undefined, () => noDataReason(h, ev.now));
  }
}

/** After the rules: what each VM was, for expectations and disappearance next time (in place). */
function updateTracks(ev: Evaluation, h: HostObservation, snap: HostSnapshot, maintenance: boolean): void {
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
  if (tracks.size > present) for (const [uuid, t] of tracks) if (t.seen !== snap.ts) tracks.delete(uuid);
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
    if (!maintenance) {
      const timely = fresh && now - snap.ts <= lateAfterMs(h);
      for (const rule of rules) {
        if (!rule.enabled) continue;
        if (rule.kind === 'host-status' || rule.kind === 'no-data') evaluateHostRule(ev, rule, h);
        else if (timely) evaluateSnapshot(ev, rule, h, snap);
      }
    }
    if (fresh) {
      updateTracks(ev, h, snap, maintenance);
      state.lastTs.set(h.id, snap.ts);
    }
  }
  retire(ev, rules, hostIds);
  return ev.out;
}
