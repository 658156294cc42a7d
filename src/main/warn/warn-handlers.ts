// The contract's warn methods, served by the engine (kept here so the composition root stays small).
import { userInfo } from 'node:os';
import type { warnMethods } from '../../shared/contract/api-warn';
import { RpcError } from '../../shared/contract/errors';
import type { Alert, NotifierConfig, Rule } from '../../shared/model/warn';
import type { Handlers } from '../../shared/rpc/server';
import { silenceCovers } from './suppression';
import type { WarnEngine } from './warn-engine';

type WarnHandlers = Pick<Handlers, keyof typeof warnMethods>;

function localUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'local user';
  }
}

/** A made-up alert for "Send test". */
function testAlert(now: number): Alert {
  return {
    id: 0,
    ruleId: 'test',
    ruleName: 'Test notification',
    severity: 'info',
    state: 'firing',
    target: { kind: 'host', id: 'test', hostId: 'test', name: 'test target' },
    startedAt: now,
    firedAt: now,
    resolvedAt: null,
    reason: 'This is a test notification sent from VirtDeck settings.',
    reasonData: { test: true },
    ack: null,
    silencedUntil: null,
    maintenance: false,
    flapping: false,
  };
}

export function warnHandlers(engine: WarnEngine): WarnHandlers {
  const hub = engine.hubEmit;
  const view = (n: NotifierConfig) => ({
    config: n,
    status: engine.dispatcher.status(n.id, engine.notifiers.needsSecret(n)),
  });
  const getAlert = (id: number) => {
    const a = engine.alerts.get(id);
    if (!a) throw new RpcError('not_found', `no alert with id ${id}`);
    return a;
  };
  return {
    'rules.list': () => [...engine.rules.list()],
    'rules.save': (rule) => {
      const saved = engine.rules.save(rule as Rule, engine.now());
      hub('rules.changed', { ids: [saved.id] });
      engine.evaluateNow();
      return saved;
    },
    'rules.remove': ({ id }) => {
      if (!engine.rules.remove(id)) throw new RpcError('not_found', `no rule with id '${id}'`);
      hub('rules.changed', { ids: [id] });
      engine.evaluateNow();
      return { removed: true as const };
    },
    'rules.preview': (rule) => {
      const targets = engine.preview(rule as Rule);
      return { count: targets.length, targets: targets.slice(0, 20) };
    },
    'rules.resetDefaults': () => {
      const rules = [...engine.rules.resetDefaults()];
      hub('rules.changed', { ids: rules.map((r) => r.id) });
      engine.evaluateNow();
      return rules;
    },
    'alerts.list': ({ state, hostId, limit }) => {
      if (state === 'active') return engine.active(hostId).slice(0, limit);
      const sup = engine.suppression();
      const stored = engine.alerts.list(state, hostId, limit).map((a) => engine.decorate(a, sup));
      if (state === 'resolved') return stored;
      const pending = engine.active(hostId).filter((a) => a.state === 'pending');
      return [...pending, ...stored].slice(0, limit);
    },
    'alerts.events': ({ id }) => {
      getAlert(id);
      return engine.alerts.events(id);
    },
    'alerts.ack': ({ id, note, by }) => {
      const a = getAlert(id);
      if (a.state === 'resolved') throw new RpcError('conflict', `alert ${id} is already resolved`);
      const who = by ?? localUser();
      engine.alerts.ack(id, engine.now(), who, note);
      // a vanished VM has nothing to come back from: acknowledging it closes it
      if (a.ruleId === 'vm-vanished') engine.dismiss(a, who);
      const out = engine.decorate(getAlert(id));
      hub('alert.changed', out);
      return out;
    },
    'alerts.unack': ({ id, by }) => {
      getAlert(id);
      engine.alerts.unack(id, engine.now(), by ?? localUser());
      const out = engine.decorate(getAlert(id));
      hub('alert.changed', out);
      return out;
    },
    'silences.list': () => engine.config.silences(engine.now()),
    'silences.add': ({ ruleId, targetId, until, note, by }) => {
      const now = engine.now();
      if (until <= now) throw new RpcError('invalid_params', 'until must be in the future', { fields: ['until'] });
      const s = engine.config.addSilence({
        ruleId: ruleId ?? null,
        targetId: targetId ?? null,
        until,
        note,
        createdAt: now,
        createdBy: by ?? localUser(),
      });
      for (const a of engine.active()) {
        if (silenceCovers(s, a.ruleId, a.target) && a.id > 0) {
          engine.alerts.event(
            a.id,
            now,
            'silenced',
            s.createdBy,
            `until ${new Date(until).toISOString()} ${note}`.trim(),
          );
          hub('alert.changed', engine.decorate(a));
        }
      }
      return s;
    },
    'silences.remove': ({ id, by }) => {
      if (!engine.config.endSilence(id, engine.now(), by ?? localUser())) {
        throw new RpcError('not_found', `no active silence with id ${id}`);
      }
      return { removed: true as const };
    },
    'maintenance.list': () => engine.config.maintenance(engine.now()),
    'maintenance.add': ({ hostId, from, until, note, by }) => {
      const now = engine.now();
      if (until <= now) throw new RpcError('invalid_params', 'until must be in the future', { fields: ['until'] });
      const m = engine.config.addMaintenance({
        hostId,
        from: from ?? now,
        until,
        note,
        createdAt: now,
        createdBy: by ?? localUser(),
      });
      engine.evaluateNow();
      return m;
    },
    'maintenance.remove': ({ id }) => {
      if (!engine.config.endMaintenance(id, engine.now())) {
        throw new RpcError('not_found', `no active maintenance window with id ${id}`);
      }
      engine.evaluateNow();
      return { removed: true as const };
    },
    'vms.setShouldRun': ({ hostId, uuid, shouldRun }) => {
      engine.setShouldRun(hostId, uuid, shouldRun);
      return { shouldRun };
    },
    'vms.shouldRunList': () => [...engine.config.shouldRun()],
    'notifiers.list': () => engine.notifiers.list().map(view),
    'notifiers.save': (n) => view(engine.notifiers.save(n as NotifierConfig, engine.now())),
    'notifiers.remove': ({ id }) => {
      if (!engine.notifiers.remove(id)) throw new RpcError('not_found', `no notifier with id '${id}'`);
      return { removed: true as const };
    },
    'notifiers.setSecret': ({ id, password }) => {
      if (!engine.notifiers.get(id)) throw new RpcError('not_found', `no notifier with id '${id}'`);
      engine.notifiers.setSecret(id, password);
      return { ok: true as const };
    },
    'notifiers.test': async ({ id }) => {
      const n = engine.notifiers.get(id);
      if (!n) throw new RpcError('not_found', `no notifier with id '${id}'`);
      const alert = testAlert(engine.now());
      const d = await engine.dispatcher.deliver(n, engine.notification(alert, 'inactive', 'firing', true));
      return { ok: d.ok, error: d.error };
    },
  };
}
