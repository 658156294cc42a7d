// The configured hosts, persisted in the data directory (hosts.json). No secrets ever land here.
import { randomUUID } from 'node:crypto';
import type { HostConfig } from '../../shared/model/host';
import type { ParamsOut } from '../../shared/contract/api';
import { JsonFile } from './json-file';

/** Older files lack fields added since; fill them with today's defaults. */
function upgrade(h: Partial<HostConfig> & Pick<HostConfig, 'id' | 'address'>): HostConfig {
  return {
    name: h.address,
    uri: 'qemu:///system',
    intervalSec: 10,
    timeoutSec: 5,
    enabled: true,
    simulated: false,
    ...h,
  };
}

function configOf(id: string, input: ParamsOut<'hosts.add'>, simulated: boolean): HostConfig {
  return {
    id,
    name: input.name || input.address,
    address: input.address,
    ...(input.port !== undefined ? { port: input.port } : {}),
    ...(input.user !== undefined ? { user: input.user } : {}),
    ...(input.identityFile ? { identityFile: input.identityFile } : {}),
    ...(input.jump ? { jump: input.jump } : {}),
    uri: input.uri,
    intervalSec: input.intervalSec,
    timeoutSec: input.timeoutSec,
    enabled: input.enabled,
    simulated,
  };
}

export class HostConfigStore {
  private readonly file: JsonFile<HostConfig[]>;
  constructor(path: string) {
    this.file = new JsonFile<HostConfig[]>(path, []);
  }

  list(): HostConfig[] {
    return this.file.read().map(upgrade);
  }

  /** Adds a host; `simulated` marks the built-in demo fleet's hosts (never set by users). */
  add(input: ParamsOut<'hosts.add'>, { simulated = false }: { simulated?: boolean } = {}): HostConfig {
    const host = configOf(randomUUID(), input, simulated);
    this.file.write([...this.list(), host]);
    return host;
  }

  /** Replaces a host's settings with the form's (fields left out fall back to ~/.ssh/config). */
  update(id: string, input: ParamsOut<'hosts.add'>): HostConfig | null {
    const all = this.list();
    const old = all.find((h) => h.id === id);
    if (!old) return null;
    const host = configOf(id, input, old.simulated);
    this.file.write(all.map((h) => (h.id === id ? host : h)));
    return host;
  }

  remove(id: string): boolean {
    const all = this.list();
    const rest = all.filter((h) => h.id !== id);
    if (rest.length === all.length) return false;
    this.file.write(rest);
    return true;
  }
}
