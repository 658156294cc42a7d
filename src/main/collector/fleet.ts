// The set of hosts being watched: one collector per configured host, views and figures for the
// contract, and the host-key decisions the user makes.
import type { HostConfig, HostView } from '../../shared/model/host';
import type { HostSnapshot } from '../../shared/model/metrics';
import type { ParamsOut } from '../../shared/contract/api';
import { RpcError } from '../../shared/contract/errors';
import type { EventHub } from '../../shared/rpc/event-hub';
import type { HostConfigStore } from '../config/host-config-store';
import type { HostKeyStore } from '../ssh/host-key-store';
import { HostCollector } from './host-collector';
import type { CollectorDeps } from './host-collector';

export interface ExposedHost {
  view: HostView;
  snapshot: HostSnapshot | null;
  raw: HostCollector['rawCounters'];
}

export interface FleetDeps extends Omit<CollectorDeps, 'onView' | 'onSnapshot'> {
  hosts: HostConfigStore;
  hostKeys: HostKeyStore;
  hub: EventHub;
  /** Extra subscribers of every host cycle (store, warn engine). */
  onSnapshot?: (snapshot: HostSnapshot) => void;
}

export class Fleet {
  private readonly collectors = new Map<string, HostCollector>();
  private started = false;

  constructor(private readonly deps: FleetDeps) {
    for (const config of deps.hosts.list()) this.collectors.set(config.id, this.makeCollector(config));
  }

  private makeCollector(config: HostConfig): HostCollector {
    const { hub, onSnapshot } = this.deps;
    return new HostCollector(config, {
      ...this.deps,
      onView: (view) => hub.emit('host.updated', view),
      onSnapshot: (snapshot) => {
        hub.emit('metrics.updated', snapshot);
        onSnapshot?.(snapshot);
      },
    });
  }

  start(): void {
    this.started = true;
    for (const c of this.collectors.values()) c.start();
  }

  stop(): void {
    this.started = false;
    for (const c of this.collectors.values()) c.stop();
  }

  list(): HostView[] {
    return [...this.collectors.values()].map((c) => c.view);
  }

  latest(): HostSnapshot[] {
    return [...this.collectors.values()].flatMap((c) => (c.lastSnapshot ? [c.lastSnapshot] : []));
  }

  /** Every host's view, latest snapshot and the raw counters behind it (the Prometheus exposition). */
  exposition(): ExposedHost[] {
    return [...this.collectors.values()].map((c) => ({ view: c.view, snapshot: c.lastSnapshot, raw: c.rawCounters }));
  }

  private get(id: string): HostCollector {
    const c = this.collectors.get(id);
    if (!c) throw new RpcError('not_found', `no host with id '${id}'`);
    return c;
  }

  /** The libvirt URI of a host (for lifecycle tasks). */
  uriOf(id: string): string {
    return this.get(id).config.uri;
  }

  /** A VM's name as the last cycle saw it, or null. */
  vmName(id: string, uuid: string): string | null {
    return this.collectors.get(id)?.view.vms.find((v) => v.uuid === uuid)?.name ?? null;
  }

  /** Runs one argv on a host over its persistent connection (see HostCollector.runCommand). */
  runCommand(id: string, argv: readonly string[], timeoutMs: number): Promise<{ code: number; output: string }> {
    this.assertCanRun(id);
    return this.get(id).runCommand(argv, timeoutMs);
  }

  /** Throws unless commands can be run on this host: it exists and is a real hypervisor. */
  assertCanRun(id: string): void {
    const c = this.get(id);
    if (c.config.simulated) {
      throw new RpcError('conflict', `host '${c.config.name}' is a demo host: nothing runs there`);
    }
  }

  /** Refuses a second entry for the same user@address:port (other than `except`). */
  private assertNotConfigured(input: ParamsOut<'hosts.add'>, except?: string): void {
    const same = (v: HostView) =>
      v.config.id !== except &&
      v.config.address === input.address &&
      v.config.port === input.port &&
      v.config.user === input.user;
    const dup = this.list().find(same);
    if (dup) {
      const who = `${input.user ? `${input.user}@` : ''}${input.address}${input.port ? `:${input.port}` : ''}`;
      throw new RpcError('conflict', `${who} is already configured as '${dup.config.name}'`);
    }
  }

  private keepSecrets(id: string, input: ParamsOut<'hosts.add'>): void {
    if (input.password !== undefined || input.passphrase !== undefined) {
      this.deps.secrets.set(id, { password: input.password, passphrase: input.passphrase });
    }
  }

  /**
   * New settings for a host: its collector is replaced (new SSH connection, same id, so history,
   * alerts and tasks stay attached). Secrets left out of the form are kept.
   */
  update(id: string, input: ParamsOut<'hosts.add'>): HostView {
    const old = this.get(id);
    if (old.config.simulated) {
      throw new RpcError('conflict', `host '${old.config.name}' is a demo host: remove the demo fleet instead`);
    }
    this.assertNotConfigured(input, id);
    const config = this.deps.hosts.update(id, input);
    if (!config) throw new RpcError('not_found', `no host with id '${id}'`);
    this.keepSecrets(id, input);
    old.stop();
    const collector = this.makeCollector(config);
    this.collectors.set(id, collector);
    if (this.started) collector.start();
    this.deps.hub.emit('hosts.changed', { ids: [id] });
    return collector.view;
  }

  add(input: ParamsOut<'hosts.add'>, extra: { simulated?: boolean } = {}): HostView {
    this.assertNotConfigured(input);
    const config = this.deps.hosts.add(input, extra);
    this.keepSecrets(config.id, input);
    const collector = this.makeCollector(config);
    this.collectors.set(config.id, collector);
    if (this.started) collector.start();
    this.deps.hub.emit('hosts.changed', { ids: [config.id] });
    return collector.view;
  }

  remove(id: string): void {
    const c = this.get(id);
    c.stop();
    this.collectors.delete(id);
    this.deps.hosts.remove(id);
    this.deps.secrets.delete(id);
    this.deps.hub.emit('hosts.changed', { ids: [id] });
  }

  refresh(id: string): Promise<HostView> {
    return this.get(id).collectNow();
  }

  setSecrets(
    id: string,
    secrets: { password?: string | undefined; passphrase?: string | undefined },
  ): Promise<HostView> {
    const c = this.get(id);
    this.deps.secrets.set(id, secrets);
    return c.collectNow();
  }

  /** Trusts the key the host presented, only if it is the one the user was shown. */
  trustHostKey(id: string, fingerprint: string): Promise<HostView> {
    const c = this.get(id);
    const pending = c.view.pendingHostKey;
    if (!pending) throw new RpcError('conflict', `host '${c.config.name}' has no host key waiting for a decision`);
    if (pending.fingerprint !== fingerprint) {
      throw new RpcError(
        'conflict',
        `the fingerprint given (${fingerprint}) is not the one the host presented (${pending.fingerprint}); nothing was trusted`,
      );
    }
    this.deps.hostKeys.trust(pending.host, pending.port, pending.algorithm, pending.fingerprint);
    return c.collectNow();
  }
}
