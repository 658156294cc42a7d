// Composition root: builds every core service once, for the Electron shell and headless mode
// alike, and returns the contract's handlers plus the event hub they publish on.
import { readFileSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { AppInfo, Payload } from '../shared/contract/api';
import { EventHub } from '../shared/rpc/event-hub';
import type { Handlers } from '../shared/rpc/server';
import { Fleet } from './collector/fleet';
import { testConnection } from './collector/connection-test';
import { HostConfigStore } from './config/host-config-store';
import { SessionSecrets } from './config/session-secrets';
import type { SecretStore } from './config/secret-store';
import { ConnectLimiter } from './ssh/connect-limiter';
import { HostKeyStore } from './ssh/host-key-store';
import { HostKeyVerifier } from './ssh/host-key-verifier';
import { HistoryService } from './store/history-service';
import { WarnEngine } from './warn/warn-engine';
import { warnHandlers } from './warn/warn-handlers';
import { TaskService } from './tasks/task-service';
import { MemoryUserActionLog } from './tasks/user-action-log';
import type { UserActionLog } from './tasks/user-action-log';
import { DemoFleet } from './sim/demo-fleet';
import { createDeployCore, deployHandlers, deployWorkflows } from './deploy/deploy-handlers';
import type { DeployCore } from './deploy/deploy-handlers';
import { PrometheusHistory } from './prometheus/history-source';
import { exportPrometheusRules } from './prometheus/rules-export';
import { renderMetrics } from './prometheus/exposition';
import { MetricsExposer } from './prometheus/metrics-exposer';
import { scheduleHistoryWarmUp, warmUpTarget } from './history-warmup';

export interface ServicesOptions {
  dataDir: string;
  mode: AppInfo['mode'];
  version: string;
  /** The user's home, for ~/.ssh/config and ~/.ssh/known_hosts (tests point it elsewhere). */
  home?: string;
  /** At most this many SSH handshakes at once across the fleet. */
  connectLimit?: number;
  /** Warn engine knobs (tests shorten them). */
  warnTickMs?: number;
  notifierBackoffMs?: number;
  /** Start the simulated demo fleet when no hosts are configured (default true). */
  demo?: boolean;
  log?: (line: string) => void;
  /** Where SSH secrets outlive the session (the desktop's safeStorage); absent: memory only. */
  secretStore?: SecretStore;
}

export interface Services {
  handlers: Handlers;
  hub: EventHub;
  fleet: Fleet;
  history: HistoryService;
  warn: WarnEngine;
  tasks: TaskService;
  /** The create-VM wizard and groups (issue 7). */
  deploy: DeployCore;
  /** VMs stopped or paused through VirtDeck, for the warn engine. */
  userActions: UserActionLog;
  start(): void;
  stop(): Promise<void>;
}

function readIfExists(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

export function createServices({
  dataDir,
  mode,
  version,
  home = homedir(),
  connectLimit = 16,
  warnTickMs,
  notifierBackoffMs,
  demo: demoWanted = true,
  log = (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`),
  secretStore,
}: ServicesOptions): Services {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const hub = new EventHub();
  const hostKeys = new HostKeyStore(join(dataDir, 'trusted-host-keys.json'));
  const verifier = new HostKeyVerifier(hostKeys, [join(home, '.ssh', 'known_hosts'), '/etc/ssh/ssh_known_hosts']);
  const sshConfigText = () => readIfExists(join(home, '.ssh', 'config'));
  const secrets = new SessionSecrets(secretStore);
  const history = new HistoryService(dataDir, (status) => hub.emit('history.statusChanged', status));
  const names = new Map<string, string>();
  let warn: WarnEngine | null = null;
  const fleet = new Fleet({
    onSnapshot: (snapshot) => {
      history.record(snapshot, names.get(snapshot.hostId) ?? snapshot.hostId);
      warn?.onSnapshot();
    },
    hosts: new HostConfigStore(join(dataDir, 'hosts.json')),
    hostKeys,
    hub,
    verifier,
    secrets,
    sshConfigText,
    home,
    limiter: new ConnectLimiter(connectLimit),
  });

  const userActions = new MemoryUserActionLog();
  warn = new WarnEngine({
    db: history.database(),
    dataDir,
    hub,
    hosts: () => fleet.list(),
    snapshots: () => fleet.latest(),
    userAction: (hostId, uuid) => userActions.recentAction(hostId, uuid),
    log,
    ...(warnTickMs !== undefined ? { tickMs: warnTickMs } : {}),
    ...(notifierBackoffMs !== undefined ? { backoffMs: notifierBackoffMs } : {}),
  });
  const engine = warn;
  const tasks = new TaskService({
    dbPath: history.path,
    hosts: {
      run: (hostId, argv, timeoutMs) => fleet.runCommand(hostId, argv, timeoutMs),
      uriOf: (hostId) => fleet.uriOf(hostId),
      assertCanRun: (hostId) => fleet.assertCanRun(hostId),
      vmName: (hostId, uuid) => fleet.vmName(hostId, uuid),
      refresh: (hostId) => void fleet.refresh(hostId).catch(() => undefined),
    },
    userActions,
    onUpdate: (task) => hub.emit('task.updated', task),
    workflows: deployWorkflows(fleet),
  });
  const deploy = createDeployCore(fleet, tasks, hub);
  const demo = new DemoFleet({ dataDir, fleet, hostKeys, log });
  const hostName = (id: string) => fleet.list().find((v) => v.config.id === id)?.config.name ?? null;
  const prometheus = new PrometheusHistory({
    path: join(dataDir, 'prometheus.json'),
    secrets,
    tokenPersistent: secretStore?.persistent ?? false,
    hostName,
    retention: () => history.retention(),
  });
  const metricsExposer = new MetricsExposer({
    dataDir,
    render: () => renderMetrics(fleet.exposition()),
    log,
    available: mode === 'electron',
  });
  let stopped = false;
  let stopWarmUp = (): void => undefined;

  const handlers = {
    'app.info': () => ({
      name: 'VirtDeck',
      version,
      mode,
      dataDir,
      secretStorage: secretStore?.persistent ? ('keychain' as const) : ('session' as const),
    }),
    'hosts.list': () => fleet.list(),
    'hosts.add': (input) => fleet.add(input),
    'hosts.update': ({ id, host }) => fleet.update(id, host),
    'hosts.remove': ({ id }) => {
      fleet.remove(id);
      return { removed: true as const };
    },
    'hosts.refresh': ({ id }) => fleet.refresh(id),
    'hosts.trustHostKey': ({ id, fingerprint }) => fleet.trustHostKey(id, fingerprint),
    'hosts.setSecrets': ({ id, password, passphrase }) => fleet.setSecrets(id, { password, passphrase }),
    'hosts.test': ({ id, ...input }, { signal }) => {
      const held = id ? secrets.get(id) : {};
      const withSecrets = {
        ...input,
        password: input.password ?? held.password,
        passphrase: input.passphrase ?? held.passphrase,
      };
      return testConnection(withSecrets, { verifier, sshConfigText }, signal);
    },
    'metrics.latest': () => fleet.latest(),
    'history.status': () => history.status(),
    'history.series': (p) => prometheus.series(p, () => history.series(p)),
    'history.seriesMany': ({ metrics, ...range }) =>
      Promise.all(
        metrics.map((metric) => {
          const p = { ...range, metric };
          return prometheus.series(p, () => history.series(p));
        }),
      ),
    'history.last': ({ metric }) => history.last(metric),
    'history.top': (p) => history.top(p),
    'history.export': (p) => history.export(p),
    'settings.retention.get': () => history.retention(),
    'settings.retention.set': (r) => history.setRetention(r),
    ...warnHandlers(engine),
    // ---- tasks and VM lifecycle (issue 7) ----
    'tasks.list': (p) => tasks.list(p),
    'tasks.get': ({ id }) => tasks.engine.get(id),
    'tasks.cancel': ({ id }) => tasks.engine.cancel(id),
    'tasks.retry': ({ id }) => tasks.engine.retry(id),
    'tasks.rollback': ({ id }) => tasks.engine.rollback(id),
    'vm.action': (p) => tasks.vmAction(p),
    'vm.bulkAction': (p) => tasks.bulkAction(p),
    'hosts.removeDemo': () => demo.remove(),
    // ---- create-VM wizard and groups (issue 7) ----
    ...deployHandlers(deploy),
    // ---- scale-out: Prometheus (issue 10) ----
    'settings.prometheus.get': () => prometheus.settings(),
    'settings.prometheus.set': (p) => prometheus.setSettings(p),
    'settings.metrics.get': () => metricsExposer.view(),
    'settings.metrics.set': (p) => metricsExposer.set(p),
    'rules.exportPrometheus': () => {
      const { yaml, skipped, count } = exportPrometheusRules(engine.rules.list(), { hostName });
      return { yaml, count, skipped, fileName: 'virtdeck-rules.yml' };
    },
  } satisfies Handlers;
  for (const v of fleet.list()) names.set(v.config.id, v.config.name);
  hub.subscribe((event, payload) => {
    if (event === 'host.updated') {
      const view = payload as Payload<'host.updated'>;
      names.set(view.config.id, view.config.name);
    }
  });

  return {
    handlers,
    hub,
    fleet,
    history,
    warn: engine,
    tasks,
    deploy,
    userActions,
    start: () => {
      engine.start();
      void metricsExposer.start();
      // the first VM page opened gets its charts' answer as fast as later ones (history-warmup.ts)
      stopWarmUp = scheduleHistoryWarmUp({
        handlers,
        hub,
        target: () => {
          try {
            return warmUpTarget(history.last('cpu_pct'));
          } catch {
            return null; // history not available: nothing to warm
          }
        },
      });
      // the demo fleet's servers listen before its hosts' first cycle
      const starting = demoWanted ? demo.startIfWanted() : null;
      if (!starting) return fleet.start();
      starting
        .catch((e: unknown) => log(`demo fleet not started: ${(e as Error).message}`))
        .finally(() => {
          if (!stopped) fleet.start();
        });
    },
    stop: async () => {
      stopped = true;
      stopWarmUp();
      await metricsExposer.close();
      tasks.close(); // tasks still running are recorded as interrupted
      fleet.stop();
      engine.stop();
      await demo.stop();
      // notifications under way get a moment to finish; a dead endpoint never holds up a quit
      await Promise.race([engine.dispatcher.drain(), new Promise((r) => setTimeout(r, 3000).unref())]);
      history.close(); // the queued cycles are written before the file closes
    },
  };
}
