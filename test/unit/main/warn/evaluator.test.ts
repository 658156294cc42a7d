// The pure evaluator with a fake clock: every rule kind, `for`, hysteresis, late data, flapping,
// silence, maintenance and restart restore.
import { describe, expect, it } from 'vitest';
import type { HostSnapshot, VmFigures } from '../../../../src/shared/model/metrics';
import type { Alert, MaintenanceWindow, Rule, Silence } from '../../../../src/shared/model/warn';
import { DEFAULT_RULES } from '../../../../src/main/warn/default-rules';
import { FLAP_HOLD_MS, emptyState, restoreState } from '../../../../src/main/warn/eval-state';
import type { EvalState, HostObservation, Transition, UserAction, World } from '../../../../src/main/warn/eval-state';
import { evaluate } from '../../../../src/main/warn/evaluator';
import { vmFigures } from '../../../helpers/snapshots';

const T0 = 1_800_000_000_000;
const rule = (id: string): Rule => {
  const r = DEFAULT_RULES.find((x) => x.id === id);
  if (!r) throw new Error(id);
  return r;
};
const uuid = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

/** A VM with chosen figures (quiet by default). */
function vm(i: number, over: Partial<VmFigures> = {}): VmFigures {
  return vmFigures(i, 0, { cpuPct: 50, memPct: 50, netRxBps: 1e5, netTxBps: 1e5, stealPct: 0, ...over });
}

function snap(ts: number, vms: VmFigures[], hostId = 'h1'): HostSnapshot {
  return { hostId, ts, host: null, vms, warnings: [], cycleMs: 5 };
}

class Lab {
  state: EvalState = emptyState();
  hosts = new Map<string, HostObservation>();
  silences: Silence[] = [];
  maintenance: MaintenanceWindow[] = [];
  shouldRun = new Set<string>();
  actions = new Map<string, UserAction>();

  host(id = 'h1', over: Partial<HostObservation> = {}): HostObservation {
    const h: HostObservation = {
      id,
      name: `host-${id}`,
      status: 'ok',
      reason: null,
      lastSeen: T0,
      watchedSince: T0,
      intervalSec: 10,
      timeoutSec: 5,
      enabled: true,
      snapshot: null,
      ...this.hosts.get(id),
      ...over,
    };
    this.hosts.set(id, h);
    return h;
  }

  world(): World {
    return {
      hosts: [...this.hosts.values()],
      silences: this.silences,
      maintenance: this.maintenance,
      shouldRun: (h, u) => this.shouldRun.has(`${h}/${u}`),
      userAction: (h, u) => this.actions.get(`${h}/${u}`) ?? null,
    };
  }

  /** Host h1 answers a cycle at `ts` with these VMs; evaluation at the same time. */
  cycle(rules: Rule[], ts: number, vms: VmFigures[], hostId = 'h1'): Transition[] {
    this.host(hostId, { snapshot: snap(ts, vms, hostId), lastSeen: ts });
    return evaluate(rules, this.state, this.world(), ts);
  }
}

const brief = (ts: Transition[]) => ts.map((t) => `${t.ruleId} ${t.target.name} ${t.from}→${t.to}`);

describe('threshold rules', () => {
  it('High load fires on the third busy cycle, not before, and resolves when one condition clears', () => {
    const lab = new Lab();
    const busy = vm(1, { cpuPct: 97, memPct: 95, netRxBps: 6e6, netTxBps: 3e6 });
    const r = [rule('high-load')];
    expect(brief(lab.cycle(r, T0, [busy]))).toEqual(['high-load vm-1 inactive→pending']);
    expect(lab.cycle(r, T0 + 10_000, [busy])).toEqual([]);
    const fired = lab.cycle(r, T0 + 20_000, [busy]);
    expect(brief(fired)).toEqual(['high-load vm-1 pending→firing']);
    expect(fired[0]?.notify).toBe(true);
    expect(fired[0]?.reason).toMatch(
      /cpu_pct 97 >= 90 AND mem_pct 95 >= 90 AND net_bps 9000000 >= 8388608 for 3 cycles/,
    );
    expect(lab.cycle(r, T0 + 30_000, [busy])).toEqual([]); // deduplicated: one alert while it lasts
    const resolved = lab.cycle(r, T0 + 40_000, [{ ...busy, netRxBps: 1000, netTxBps: 1000 }]);
    expect(brief(resolved)).toEqual(['high-load vm-1 firing→resolved']);
    expect(resolved[0]?.notify).toBe(true);
    expect(resolved[0]?.reason).toMatch(/^resolved: cpu_pct 97 >= 90 AND mem_pct 95 >= 90 AND net_bps 2000 >= 8388608/);
  });

  it('a busy spell shorter than `for` only goes pending and back, without notifying', () => {
    const lab = new Lab();
    const r = [rule('high-load')];
    const busy = vm(1, { cpuPct: 97, memPct: 95, netRxBps: 9e6 });
    lab.cycle(r, T0, [busy]);
    lab.cycle(r, T0 + 10_000, [busy]);
    const back = lab.cycle(r, T0 + 20_000, [vm(1)]);
    expect(brief(back)).toEqual(['high-load vm-1 pending→inactive']);
    expect(back.every((t) => !t.notify)).toBe(true);
  });

  it('hysteresis: a value hovering at the line does not flap; it resolves below the clear line', () => {
    const lab = new Lab();
    const r: Rule[] = [
      {
        id: 'cpu',
        kind: 'threshold',
        name: 'CPU',
        enabled: true,
        severity: 'warning',
        scope: {},
        target: 'vm',
        conditions: [{ metric: 'cpu_pct', op: '>=', value: 90, clear: 80 }],
        forSec: 0,
      },
    ];
    expect(brief(lab.cycle(r, T0, [vm(1, { cpuPct: 91 })]))).toEqual([
      'cpu vm-1 inactive→pending',
      'cpu vm-1 pending→firing',
    ]);
    for (let i = 1; i <= 6; i++) {
      expect(lab.cycle(r, T0 + i * 10_000, [vm(1, { cpuPct: i % 2 ? 85 : 92 })])).toEqual([]);
    }
    expect(brief(lab.cycle(r, T0 + 70_000, [vm(1, { cpuPct: 79 })]))).toEqual(['cpu vm-1 firing→resolved']);
  });

  it('`for` in seconds counts sample time', () => {
    const lab = new Lab();
    const r = [rule('cpu-contention')];
    const stolen = vm(1, { stealPct: 15 });
    expect(brief(lab.cycle(r, T0, [stolen]))).toEqual(['cpu-contention vm-1 inactive→pending']);
    expect(lab.cycle(r, T0 + 290_000, [stolen])).toEqual([]);
    expect(brief(lab.cycle(r, T0 + 300_000, [stolen]))).toEqual(['cpu-contention vm-1 pending→firing']);
  });

  it('unknown values are never 0: an idle rule does not count a VM without figures', () => {
    const lab = new Lab();
    const r: Rule[] = [{ ...(rule('idle-vm') as Extract<Rule, { kind: 'threshold' }>), forCycles: 2 }];
    const blind = vm(1, { cpuPct: null, memPct: null, netRxBps: null, netTxBps: null });
    expect(lab.cycle(r, T0, [blind])).toEqual([]);
    expect(lab.cycle(r, T0 + 10_000, [blind])).toEqual([]);
    const idle = vm(1, { cpuPct: 1, memPct: 20, netRxBps: 100, netTxBps: 100 });
    expect(brief(lab.cycle(r, T0 + 20_000, [idle]))).toEqual(['idle-vm vm-1 inactive→pending']);
    // a cycle without figures neither advances nor ends it
    expect(lab.cycle(r, T0 + 30_000, [blind])).toEqual([]);
    expect(brief(lab.cycle(r, T0 + 40_000, [idle]))).toEqual(['idle-vm vm-1 pending→firing']);
  });

  it('a snapshot counts once, and a late one is not evaluated', () => {
    const lab = new Lab();
    const r = [rule('high-load')];
    const busy = vm(1, { cpuPct: 97, memPct: 95, netRxBps: 9e6 });
    lab.cycle(r, T0, [busy]);
    // the same snapshot seen again by a tick does not count as a second cycle
    for (let i = 1; i <= 5; i++) expect(evaluate(r, lab.state, lab.world(), T0 + i * 1000)).toEqual([]);
    // a snapshot that arrives long after it was taken is late: no evaluation
    lab.host('h1', { snapshot: snap(T0 + 10_000, [busy]) });
    expect(evaluate(r, lab.state, lab.world(), T0 + 10_000 + 60_000)).toEqual([]);
    expect(lab.cycle(r, T0 + 80_000, [busy])).toEqual([]); // the second counted cycle of three
  });

  it('scope by name glob and by host', () => {
    const lab = new Lab();
    const base = rule('cpu-contention') as Extract<Rule, { kind: 'threshold' }>;
    const r: Rule[] = [{ ...base, forSec: 0, scope: { namePattern: 'db-*', hostIds: ['h1'] } }];
    const out = lab.cycle(r, T0, [vm(1, { name: 'db-1', stealPct: 50 }), vm(2, { name: 'web-1', stealPct: 50 })]);
    expect(brief(out)).toEqual(['cpu-contention db-1 inactive→pending', 'cpu-contention db-1 pending→firing']);
    expect(lab.cycle(r, T0, [vm(3, { name: 'db-2', stealPct: 50 })], 'h2')).toEqual([]);
  });

  it('pools: Pool almost full', () => {
    const lab = new Lab();
    lab.host('h1', {
      snapshot: {
        ...snap(T0, []),
        host: {
          cpuPct: 1,
          stealPct: 0,
          cpus: 4,
          load1: 0,
          load5: 0,
          load15: 0,
          memTotalKiB: 1,
          memUsedKiB: 1,
          memAvailableKiB: 0,
          memPct: 1,
          uptimeSec: 1,
          nics: [],
          vmCounts: {},
          pools: [
            {
              name: 'default',
              state: 'running',
              capacityBytes: 100,
              allocationBytes: 95,
              availableBytes: 5,
              usedPct: 95,
            },
            { name: 'big', state: 'running', capacityBytes: 100, allocationBytes: 10, availableBytes: 90, usedPct: 10 },
          ],
          libvirtVersion: null,
          cpuModel: null,
        },
      },
    });
    const out = evaluate([rule('pool-almost-full')], lab.state, lab.world(), T0);
    expect(brief(out)).toEqual([
      'pool-almost-full host-h1/default inactive→pending',
      'pool-almost-full host-h1/default pending→firing',
    ]);
  });
});

describe('VM state rules', () => {
  const r = () => [rule('vm-crashed'), rule('paused-ioerror'), rule('vm-down')];

  it('crashed always alerts; paused on I/O error is critical', () => {
    const lab = new Lab();
    const out = lab.cycle(r(), T0, [
      vm(1, { state: 'crashed', reason: 'panicked' }),
      vm(2, { state: 'paused', reason: 'ioerror' }),
    ]);
    const fired = out.filter((t) => t.to === 'firing');
    expect(fired.map((t) => [t.ruleId, t.severity, t.target.name])).toEqual([
      ['vm-crashed', 'critical', 'vm-1'],
      ['paused-ioerror', 'critical', 'vm-2'],
    ]);
    expect(fired[1]?.reason).toBe("VM 'vm-2' on 'host-h1' is paused (ioerror)");
  });

  it('inhibition: a VM paused on an I/O error raises that alert, not also "VM down"', () => {
    const lab = new Lab();
    lab.cycle(r(), T0, [vm(2)]);
    const out = lab.cycle(r(), T0 + 10_000, [vm(2, { state: 'paused', reason: 'ioerror' })]);
    expect(out.filter((t) => t.to === 'firing').map((t) => t.ruleId)).toEqual(['paused-ioerror']);
    // without the specific rule, the general one speaks
    const lab2 = new Lab();
    lab2.cycle([rule('vm-down')], T0, [vm(2)]);
    const out2 = lab2.cycle([rule('vm-down')], T0 + 10_000, [vm(2, { state: 'paused', reason: 'ioerror' })]);
    expect(out2.filter((t) => t.to === 'firing').map((t) => t.ruleId)).toEqual(['vm-down']);
  });

  it('paused or shut off alerts only when the VM is expected to run', () => {
    const lab = new Lab();
    lab.shouldRun.add(`h1/${uuid(3)}`);
    // first sight: VM 1 running, VM 2 already off (never seen running), VM 3 off but marked, VM 4 autostart
    const first = lab.cycle(r(), T0, [
      vm(1),
      vm(2, { state: 'shut off' }),
      vm(3, { state: 'shut off' }),
      vm(4, { state: 'shut off', autostart: true }),
    ]);
    expect(first.filter((t) => t.to === 'firing').map((t) => t.target.name)).toEqual(['vm-3', 'vm-4']);
    // VM 1 stops on its own: it ran, nobody stopped it through VirtDeck
    const down = lab.cycle(r(), T0 + 10_000, [
      vm(1, { state: 'shut off' }),
      vm(2, { state: 'shut off' }),
      vm(3, { state: 'shut off' }),
      vm(4, { state: 'shut off', autostart: true }),
    ]);
    expect(brief(down.filter((t) => t.to === 'firing'))).toEqual(['vm-down vm-1 pending→firing']);
    expect(down.find((t) => t.to === 'firing')?.reason).toMatch(/was running and was not stopped through VirtDeck/);
  });

  it('a VM stopped through VirtDeck is not an incident', () => {
    const lab = new Lab();
    lab.cycle(r(), T0, [vm(1)]);
    lab.actions.set(`h1/${uuid(1)}`, { action: 'shutdown', at: T0 + 5_000 });
    expect(lab.cycle(r(), T0 + 10_000, [vm(1, { state: 'shut off' })])).toEqual([]);
    expect(lab.cycle(r(), T0 + 20_000, [vm(1, { state: 'shut off' })])).toEqual([]);
    // started again outside VirtDeck and then paused without a VirtDeck action: an incident again
    lab.cycle(r(), T0 + 30_000, [vm(1)]);
    const out = lab.cycle(r(), T0 + 40_000, [vm(1, { state: 'paused', reason: 'user' })]);
    expect(brief(out.filter((t) => t.to === 'firing'))).toEqual(['vm-down vm-1 pending→firing']);
    expect(brief(lab.cycle(r(), T0 + 50_000, [vm(1)]))).toEqual(['vm-down vm-1 firing→resolved']);
  });

  it('a VM that vanishes without a VirtDeck action alerts; deleted, migrated or back is fine', () => {
    const lab = new Lab();
    const rr = [rule('vm-vanished')];
    lab.cycle(rr, T0, [vm(1), vm(2), vm(3)]);
    lab.cycle(rr, T0, [vm(9)], 'h2');
    lab.actions.set(`h1/${uuid(2)}`, { action: 'delete', at: T0 + 1000 });
    // VM 3 moves to h2 (seen there first)
    lab.cycle(rr, T0 + 10_000, [vm(9), vm(3)], 'h2');
    const out = lab.cycle(rr, T0 + 10_000, []);
    expect(brief(out.filter((t) => t.to === 'firing'))).toEqual(['vm-vanished vm-1 pending→firing']);
    expect(out.find((t) => t.to === 'firing')?.reason).toMatch(
      /disappeared from host 'host-h1' without a VirtDeck action/,
    );
    expect(brief(lab.cycle(rr, T0 + 20_000, [vm(1)]))).toEqual(['vm-vanished vm-1 firing→resolved']);
  });
});

describe('host liveness', () => {
  it('unreachable fires with the reason and resolves when the host answers; connecting changes nothing', () => {
    const lab = new Lab();
    const r = [rule('host-unreachable'), rule('host-key-changed'), rule('host-degraded')];
    lab.host('h1', { status: 'unreachable', reason: 'connect ECONNREFUSED 127.0.0.1:22' });
    const out = evaluate(r, lab.state, lab.world(), T0);
    expect(out.filter((t) => t.to === 'firing').map((t) => t.reason)).toEqual([
      "host 'host-h1' is unreachable: connect ECONNREFUSED 127.0.0.1:22",
    ]);
    lab.host('h1', { status: 'connecting', reason: null });
    expect(evaluate(r, lab.state, lab.world(), T0 + 5000)).toEqual([]);
    lab.host('h1', { status: 'hostkey-mismatch', reason: 'the host key changed' });
    const changed = evaluate(r, lab.state, lab.world(), T0 + 10_000);
    expect(brief(changed)).toEqual([
      'host-unreachable host-h1 firing→resolved',
      'host-key-changed host-h1 inactive→pending',
      'host-key-changed host-h1 pending→firing',
    ]);
    lab.host('h1', { status: 'ok' });
    expect(brief(evaluate(r, lab.state, lab.world(), T0 + 20_000))).toEqual([
      'host-key-changed host-h1 firing→resolved',
    ]);
  });

  it('no data after 300 s of silence, counted from the last poll or from when watching began', () => {
    const lab = new Lab();
    const r = [rule('no-data')];
    lab.host('h1', { lastSeen: T0 });
    lab.host('h2', { lastSeen: null, watchedSince: T0 + 100_000 });
    expect(evaluate(r, lab.state, lab.world(), T0 + 299_000)).toEqual([]);
    const out = evaluate(r, lab.state, lab.world(), T0 + 300_000);
    expect(brief(out)).toEqual(['no-data host-h1 inactive→pending', 'no-data host-h1 pending→firing']);
    expect(out[1]?.reason).toMatch(/no data from 'host-h1' for 300 s/);
    expect(brief(evaluate(r, lab.state, lab.world(), T0 + 400_000))).toEqual([
      'no-data host-h2 inactive→pending',
      'no-data host-h2 pending→firing',
    ]);
    lab.host('h1', { lastSeen: T0 + 401_000 });
    expect(brief(evaluate(r, lab.state, lab.world(), T0 + 402_000))).toEqual(['no-data host-h1 firing→resolved']);
  });
});

describe('lifecycle', () => {
  const cpu: Rule = {
    id: 'cpu',
    kind: 'threshold',
    name: 'CPU',
    enabled: true,
    severity: 'warning',
    scope: {},
    target: 'vm',
    conditions: [{ metric: 'cpu_pct', op: '>=', value: 90 }],
    forSec: 0,
  };

  it('flapping: after three fires in 30 min the alert holds until clear for 5 minutes', () => {
    const lab = new Lab();
    let t = T0;
    const step = (v: number) => lab.cycle([cpu], (t += 10_000), [vm(1, { cpuPct: v })]);
    const notified: string[] = [];
    for (let i = 0; i < 3; i++) {
      for (const x of [...step(95), ...step(10)]) if (x.notify) notified.push(x.to);
    }
    // fire, resolve, fire, resolve, fire — then the third resolve is held back
    expect(notified).toEqual(['firing', 'resolved', 'firing', 'resolved', 'firing']);
    const firing = lab.state.entries.get('cpu')?.get('h1')?.values().next().value;
    expect(firing?.flapping).toBe(true);
    expect(step(95)).toEqual([]); // back up within the hold: nothing said
    const held: Transition[] = [];
    const clearFrom = t + 10_000;
    while (t < clearFrom + FLAP_HOLD_MS - 10_000) held.push(...step(10));
    expect(held).toEqual([]);
    expect(brief(step(10))).toEqual(['cpu vm-1 firing→resolved']);
  });

  it('silence: the alert is tracked but not notified; maintenance: no alerts at all', () => {
    const lab = new Lab();
    lab.silences.push({
      id: 1,
      ruleId: 'cpu',
      targetId: null,
      until: T0 + 3_600_000,
      createdAt: T0,
      createdBy: 'me',
      note: '',
    });
    const out = lab.cycle([cpu], T0, [vm(1, { cpuPct: 99 })]);
    expect(out.find((x) => x.to === 'firing')).toMatchObject({ notify: false, silencedUntil: T0 + 3_600_000 });

    const lab2 = new Lab();
    lab2.maintenance.push({
      id: 1,
      hostId: 'h1',
      from: T0,
      until: T0 + 60_000,
      note: '',
      createdBy: 'me',
      createdAt: T0,
    });
    expect(lab2.cycle([cpu, rule('vm-down')], T0, [vm(1, { cpuPct: 99 })])).toEqual([]);
    // the VM is shut down during maintenance: not an incident afterwards either
    expect(lab2.cycle([cpu, rule('vm-down')], T0 + 10_000, [vm(1, { state: 'shut off' })])).toEqual([]);
    expect(lab2.cycle([cpu, rule('vm-down')], T0 + 70_000, [vm(1, { state: 'shut off' })])).toEqual([]);
    expect(brief(lab2.cycle([cpu], T0 + 80_000, [vm(1, { cpuPct: 99 })]))).toEqual([
      'cpu vm-1 inactive→pending',
      'cpu vm-1 pending→firing',
    ]);
  });

  it('restart: open alerts come back firing, are not notified again, and resolve normally', () => {
    const open: Alert = {
      id: 42,
      ruleId: 'cpu',
      ruleName: 'CPU',
      severity: 'warning',
      state: 'firing',
      target: { kind: 'vm', id: `h1/${uuid(1)}`, hostId: 'h1', name: 'vm-1' },
      startedAt: T0 - 60_000,
      firedAt: T0 - 60_000,
      resolvedAt: null,
      reason: 'cpu_pct 99 >= 90',
      reasonData: {},
      ack: null,
      silencedUntil: null,
      maintenance: false,
      flapping: false,
    };
    const lab = new Lab();
    lab.state = restoreState([open]);
    expect(lab.cycle([cpu], T0, [vm(1, { cpuPct: 99 })])).toEqual([]);
    const out = lab.cycle([cpu], T0 + 10_000, [vm(1, { cpuPct: 5 })]);
    expect(brief(out)).toEqual(['cpu vm-1 firing→resolved']);
    expect(out[0]?.entry.alertId).toBe(42);
    expect(out[0]?.notify).toBe(true);
  });

  it('a restored "VM down" alert stays firing while the VM is still down', () => {
    const lab = new Lab();
    lab.state = restoreState([
      {
        id: 7,
        ruleId: 'vm-down',
        ruleName: 'VM down unexpectedly',
        severity: 'warning',
        state: 'firing',
        target: { kind: 'vm', id: `h1/${uuid(1)}`, hostId: 'h1', name: 'vm-1' },
        startedAt: T0 - 1000,
        firedAt: T0 - 1000,
        resolvedAt: null,
        reason: 'down',
        reasonData: {},
        ack: null,
        silencedUntil: null,
        maintenance: false,
        flapping: false,
      },
    ]);
    expect(lab.cycle([rule('vm-down')], T0, [vm(1, { state: 'shut off' })])).toEqual([]);
    expect(brief(lab.cycle([rule('vm-down')], T0 + 10_000, [vm(1)]))).toEqual(['vm-down vm-1 firing→resolved']);
  });

  it('disabling a rule or removing a host resolves what it had open', () => {
    const lab = new Lab();
    lab.cycle([cpu], T0, [vm(1, { cpuPct: 99 })]);
    expect(brief(evaluate([{ ...cpu, enabled: false }], lab.state, lab.world(), T0 + 1000))).toEqual([
      'cpu vm-1 firing→resolved',
    ]);
    lab.cycle([cpu], T0 + 10_000, [vm(1, { cpuPct: 99 })]);
    lab.hosts.clear();
    const out = evaluate([cpu], lab.state, lab.world(), T0 + 20_000);
    expect(brief(out)).toEqual(['cpu vm-1 firing→resolved']);
    expect(out[0]?.reason).toMatch(/the host was removed/);
  });
});
