// The engine over a real SQLite file: alerts stored with their history, restored after a restart
// without a second notification, acknowledged with who/when, silenced, and rules validated.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Database as Db } from 'better-sqlite3';
import type { HostView } from '../../../../src/shared/model/host';
import type { HostSnapshot, VmFigures } from '../../../../src/shared/model/metrics';
import { ruleSchema } from '../../../../src/shared/contract/warn-schemas';
import { EventHub } from '../../../../src/shared/rpc/event-hub';
import { openDatabase } from '../../../../src/main/store/database';
import { WarnEngine } from '../../../../src/main/warn/warn-engine';
import { warnHandlers } from '../../../../src/main/warn/warn-handlers';
import { vmFigures } from '../../../helpers/snapshots';
import { tempDir } from '../../../helpers/temp';

const T0 = 1_800_000_000_000;
const ctx = { signal: new AbortController().signal };

function hostView(lastSeen: number): HostView {
  return {
    config: {
      id: 'h1',
      name: 'hv-1',
      address: '127.0.0.1',
      uri: 'qemu:///system',
      intervalSec: 10,
      timeoutSec: 5,
      enabled: true,
      simulated: false,
    },
    status: 'ok',
    reason: null,
    resolved: null,
    warnings: [],
    lastSeen,
    pendingHostKey: null,
    vms: [],
  };
}

class Fixture {
  now = T0;
  vms: VmFigures[] = [vmFigures(1, 0, { state: 'crashed', reason: 'panicked' })];
  readonly lines: string[] = [];
  readonly hub = new EventHub();
  constructor(
    readonly dir: string,
    readonly db: Db,
  ) {}
  engine(): WarnEngine {
    return new WarnEngine({
      db: this.db,
      dataDir: this.dir,
      hub: this.hub,
      hosts: () => [hostView(this.now)],
      snapshots: (): HostSnapshot[] => [
        { hostId: 'h1', ts: this.now, host: null, vms: this.vms, warnings: [], cycleMs: 1 },
      ],
      log: (l) => this.lines.push(l),
      now: () => this.now,
    });
  }
  logLines(): { current: string; rule: string }[] {
    try {
      return readFileSync(join(this.dir, 'alerts.log'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { current: string; rule: string });
    } catch {
      return [];
    }
  }
}

describe('warn engine with SQLite', () => {
  it('stores a fired alert once, restores it after a restart without notifying again, then resolves it', async () => {
    const dir = tempDir('warn');
    const path = join(dir, 'history.db');
    const f = new Fixture(dir, openDatabase(path));
    const e1 = f.engine();
    const t1 = e1.evaluateNow();
    expect(t1.filter((t) => t.to === 'firing').map((t) => t.ruleId)).toEqual(['vm-crashed']);
    await e1.dispatcher.drain();
    expect(f.logLines()).toMatchObject([{ current: 'firing', rule: 'vm-crashed' }]);
    const [fired] = e1.active();
    expect(fired?.id).toBeGreaterThan(0);
    f.db.close();

    // restart: a new engine on the same file
    const f2 = new Fixture(dir, openDatabase(path));
    f2.now = T0 + 10_000;
    const e2 = f2.engine();
    expect(e2.active().map((a) => [a.id, a.state])).toEqual([[fired?.id, 'firing']]);
    expect(e2.evaluateNow()).toEqual([]);
    await e2.dispatcher.drain();
    expect(f2.logLines()).toHaveLength(1); // not notified again

    f2.now = T0 + 20_000;
    f2.vms = [vmFigures(1, 0)];
    const t2 = e2.evaluateNow();
    expect(t2.map((t) => `${t.ruleId} ${t.from}→${t.to}`)).toEqual(['vm-crashed firing→resolved']);
    await e2.dispatcher.drain();
    expect(f2.logLines().map((l) => l.current)).toEqual(['firing', 'resolved']);
    const stored = e2.alerts.get(fired?.id ?? 0);
    expect(stored).toMatchObject({ state: 'resolved', resolvedAt: T0 + 20_000 });
    expect(stored?.reason).toBe("VM 'vm-1' on 'hv-1' is crashed (panicked)"); // why it fired stays
    expect(e2.alerts.events(fired?.id ?? 0).at(-1)?.note).toBe("resolved: VM 'vm-1' on 'hv-1' is running (booted)");
    expect(e2.alerts.events(fired?.id ?? 0).map((ev) => ev.kind)).toEqual(['pending', 'fired', 'resolved']);
    // one open alert per rule × target: the database refuses a duplicate
    f2.db.close();
  });

  it('acknowledge with who and a note, silence, and the history of both', async () => {
    const dir = tempDir('warn');
    const f = new Fixture(dir, openDatabase(join(dir, 'history.db')));
    const engine = f.engine();
    engine.evaluateNow();
    const h = warnHandlers(engine);
    const [alert] = await h['alerts.list']({ state: 'active', limit: 10 }, ctx);
    const acked = await h['alerts.ack']({ id: alert?.id ?? 0, note: 'looking at it', by: 'alice' }, ctx);
    expect(acked.ack).toEqual({ by: 'alice', at: T0, note: 'looking at it' });
    const silence = await h['silences.add']({ targetId: 'h1', until: T0 + 3_600_000, note: 'reboots', by: 'bob' }, ctx);
    const listed = await h['alerts.list']({ state: 'active', limit: 10 }, ctx);
    expect(listed[0]?.silencedUntil).toBe(T0 + 3_600_000);
    const events = await h['alerts.events']({ id: alert?.id ?? 0 }, ctx);
    expect(events.map((e) => [e.kind, e.actor])).toEqual([
      ['pending', null],
      ['fired', null],
      ['acknowledged', 'alice'],
      ['silenced', 'bob'],
    ]);
    const unacked = await h['alerts.unack']({ id: alert?.id ?? 0, by: 'carol' }, ctx);
    expect(unacked.ack).toBeNull();
    expect((await h['alerts.events']({ id: alert?.id ?? 0 }, ctx)).slice(4).map((e) => [e.kind, e.actor])).toEqual([
      ['unacknowledged', 'carol'],
    ]);
    await h['silences.remove']({ id: silence.id, by: 'bob' }, ctx);
    expect(await h['silences.list']({}, ctx)).toEqual([]);
    expect(() => h['alerts.ack']({ id: 9999, note: '' }, ctx)).toThrow(/no alert with id 9999/);
    f.db.close();
  });

  it('rules: edits of shipped rules persist, removed ones stay removed until reset', async () => {
    const dir = tempDir('warn');
    const path = join(dir, 'history.db');
    const f = new Fixture(dir, openDatabase(path));
    const h = warnHandlers(f.engine());
    const high = (await h['rules.list']({}, ctx)).find((r) => r.id === 'high-load');
    if (high?.kind !== 'threshold') throw new Error('high-load missing');
    await h['rules.save']({ ...high, forCycles: 6 }, ctx);
    await h['rules.remove']({ id: 'idle-vm' }, ctx);
    await h['rules.save'](
      ruleSchema.parse({
        id: 'db-cpu',
        kind: 'threshold',
        name: 'DB CPU',
        severity: 'critical',
        target: 'vm',
        scope: { namePattern: 'db-*' },
        conditions: [{ metric: 'cpu_pct', op: '>', value: 95 }],
        forSec: 60,
      }) as never,
      ctx,
    );
    f.db.close();
    const f2 = new Fixture(dir, openDatabase(path));
    const h2 = warnHandlers(f2.engine());
    const rules = await h2['rules.list']({}, ctx);
    expect(rules.find((r) => r.id === 'high-load')).toMatchObject({ forCycles: 6, builtin: true });
    expect(rules.find((r) => r.id === 'idle-vm')).toBeUndefined();
    expect(rules.at(-1)).toMatchObject({ id: 'db-cpu', builtin: false });
    const reset = await h2['rules.resetDefaults']({}, ctx);
    expect(reset.find((r) => r.id === 'idle-vm')).toBeDefined();
    expect(reset.find((r) => r.id === 'high-load')).toMatchObject({ forCycles: 3 });
    expect(reset.find((r) => r.id === 'db-cpu')).toBeDefined();
    f2.db.close();
  });

  it('previews where an edited rule would fire now, its duration taken as met, without storing anything', async () => {
    const dir = tempDir('warn');
    const f = new Fixture(dir, openDatabase(join(dir, 'history.db')));
    f.vms = [vmFigures(1, 0, { state: 'crashed', reason: 'panicked' }), vmFigures(2, 0, { cpuPct: 99 })];
    const engine = f.engine();
    const h = warnHandlers(engine);
    const rules = await h['rules.list']({}, ctx);
    const crashed = rules.find((r) => r.id === 'vm-crashed');
    expect(await h['rules.preview'](crashed as never, ctx)).toMatchObject({ count: 1, targets: [{ name: 'vm-1' }] });
    const busy = ruleSchema.parse({
      id: 'busy',
      kind: 'threshold',
      name: 'Busy',
      severity: 'warning',
      target: 'vm',
      conditions: [{ metric: 'cpu_pct', op: '>=', value: 90 }],
      forCycles: 30,
    });
    expect(await h['rules.preview'](busy as never, ctx)).toMatchObject({ count: 1, targets: [{ name: 'vm-2' }] });
    expect(engine.active()).toEqual([]); // nothing evaluated for real, nothing stored
    expect(engine.alerts.list('all', undefined, 10)).toEqual([]);
    f.db.close();
  });

  it('bad rule input names the field', () => {
    const base = { id: 'r', name: 'R', severity: 'warning', kind: 'threshold', target: 'vm' };
    const issues = (input: unknown) =>
      ruleSchema.safeParse(input).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
    expect(issues({ ...base, conditions: [{ metric: 'cpu', op: '>', value: 1 }] })).toEqual([
      expect.stringMatching(/^conditions\.0\.metric: unknown metric 'cpu' for vm targets/),
    ]);
    expect(issues({ ...base, conditions: [] })).toEqual(['conditions: at least one condition is required']);
    expect(issues({ ...base, conditions: [{ metric: 'cpu_pct', op: '>', value: 1 }], forSec: -5 })).toEqual([
      'forSec: must not be negative',
    ]);
    expect(issues({ ...base, conditions: [{ metric: 'cpu_pct', op: '>=', value: 90, clear: 95 }] })).toEqual([
      'conditions.0.clear: clear must be at or below value for > and >=',
    ]);
  });
});
