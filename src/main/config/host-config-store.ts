// The configured hosts, persisted in the data directory (hosts.json).
import { randomUUID } from 'node:crypto';
import type { HostConfig } from '../../shared/model/host';
import type { ParamsOut } from '../../shared/contract/api';
import { JsonFile } from './json-file';

export class HostConfigStore {
  private readonly file: JsonFile<HostConfig[]>;
  constructor(path: string) {
    this.file = new JsonFile<HostConfig[]>(path, []);
  }

  list(): HostConfig[] {
    return this.file.read();
  }

  add(input: ParamsOut<'hosts.add'>): HostConfig {
    const host: HostConfig = {
      id: randomUUID(),
      name: input.name || input.address,
      address: input.address,
      port: input.port,
      user: input.user,
      ...(input.identityFile ? { identityFile: input.identityFile } : {}),
      uri: input.uri,
      intervalSec: input.intervalSec,
      enabled: input.enabled,
      simulated: false,
    };
    this.file.write([...this.list(), host]);
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
