// Composition root: builds every core service once, for the Electron shell and headless mode
// alike, and returns the contract's handlers plus the event hub they publish on.
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { AppInfo } from '../shared/contract/api';
import { EventHub } from '../shared/rpc/event-hub';
import type { Handlers } from '../shared/rpc/server';
import { Fleet } from './collector/fleet';
import { testConnection } from './collector/connection-test';
import { HostConfigStore } from './config/host-config-store';
import { HostKeyStore } from './ssh/host-key-store';

export interface ServicesOptions {
  dataDir: string;
  mode: AppInfo['mode'];
  version: string;
}

export interface Services {
  handlers: Handlers;
  hub: EventHub;
  start(): void;
  stop(): Promise<void>;
}

export function createServices({ dataDir, mode, version }: ServicesOptions): Services {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const hub = new EventHub();
  const hostKeys = new HostKeyStore(join(dataDir, 'trusted-host-keys.json'));
  const hostConfigs = new HostConfigStore(join(dataDir, 'hosts.json'));
  const fleet = new Fleet(hostConfigs, hostKeys, hub);

  const handlers = {
    'app.info': () => ({ name: 'VirtDeck', version, mode, dataDir }),
    'hosts.list': () => fleet.list(),
    'hosts.add': (input) => fleet.add(input),
    'hosts.remove': ({ id }) => {
      fleet.remove(id);
      return { removed: true as const };
    },
    'hosts.refresh': ({ id }) => fleet.refresh(id),
    'hosts.trustHostKey': ({ id, fingerprint }) => fleet.trustHostKey(id, fingerprint),
    'hosts.test': (input, { signal }) => testConnection(input, hostKeys, signal),
  } satisfies Handlers;

  return {
    handlers,
    hub,
    start: () => fleet.start(),
    stop: async () => fleet.stop(),
  };
}
