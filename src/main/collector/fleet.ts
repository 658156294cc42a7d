// The set of hosts being watched: one poller per configured host, views for the contract,
// and the host-key decisions the user makes.
import type { HostView } from '../../shared/model/host';
import type { ParamsOut } from '../../shared/contract/api';
import { RpcError } from '../../shared/contract/errors';
import type { EventHub } from '../../shared/rpc/event-hub';
import type { HostConfigStore } from '../config/host-config-store';
import type { HostKeyStore } from '../ssh/host-key-store';
import { HostPoller } from './host-poller';

export class Fleet {
  private readonly pollers = new Map<string, HostPoller>();
  private started = false;

  constructor(
    private readonly hosts: HostConfigStore,
    private readonly hostKeys: HostKeyStore,
    private readonly hub: EventHub,
  ) {
    for (const config of hosts.list()) this.pollers.set(config.id, this.makePoller(config));
  }

  private makePoller(config: HostView['config']): HostPoller {
    return new HostPoller(config, {
      hostKeys: this.hostKeys,
      onUpdate: (view) => this.hub.emit('host.updated', view),
    });
  }

  start(): void {
    this.started = true;
    for (const p of this.pollers.values()) p.start();
  }

  stop(): void {
    this.started = false;
    for (const p of this.pollers.values()) p.stop();
  }

  list(): HostView[] {
    return [...this.pollers.values()].map((p) => p.view);
  }

  private get(id: string): HostPoller {
    const p = this.pollers.get(id);
    if (!p) throw new RpcError('not_found', `no host with id '${id}'`);
    return p;
  }

  add(input: ParamsOut<'hosts.add'>): HostView {
    const dup = this.list().find(
      (v) => v.config.address === input.address && v.config.port === input.port && v.config.user === input.user,
    );
    if (dup)
      throw new RpcError(
        'conflict',
        `${input.user}@${input.address}:${input.port} is already configured as '${dup.config.name}'`,
      );
    const config = this.hosts.add(input);
    const poller = this.makePoller(config);
    this.pollers.set(config.id, poller);
    if (this.started) poller.start();
    this.hub.emit('hosts.changed', { ids: [config.id] });
    return poller.view;
  }

  remove(id: string): void {
    const p = this.get(id);
    p.stop();
    this.pollers.delete(id);
    this.hosts.remove(id);
    this.hub.emit('hosts.changed', { ids: [id] });
  }

  refresh(id: string): Promise<HostView> {
    return this.get(id).pollNow();
  }

  /** Trusts the key the host presented, only if it is the one the user was shown. */
  trustHostKey(id: string, fingerprint: string): Promise<HostView> {
    const p = this.get(id);
    const pending = p.view.pendingHostKey;
    if (!pending) throw new RpcError('conflict', `host '${p.config.name}' has no host key waiting for a decision`);
    if (pending.fingerprint !== fingerprint) {
      throw new RpcError(
        'conflict',
        `the fingerprint given (${fingerprint}) is not the one the host presented (${pending.fingerprint}); nothing was trusted`,
      );
    }
    this.hostKeys.trust(p.config.address, p.config.port, pending.algorithm, pending.fingerprint);
    return p.pollNow();
  }
}
