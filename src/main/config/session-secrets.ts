// SSH passwords and key passphrases for this session: held in memory, never written to disk or
// logs in clear text. An optional SecretStore (the desktop shell's safeStorage) keeps them encrypted.
import type { SecretStore } from './secret-store';

export interface HostSecrets {
  password?: string | undefined;
  passphrase?: string | undefined;
}

export class SessionSecrets {
  private readonly byHost = new Map<string, HostSecrets>();

  constructor(private readonly store?: SecretStore) {
    if (store) for (const [hostId, secrets] of store.loadAll()) this.byHost.set(hostId, { ...secrets });
  }

  get(hostId: string): HostSecrets {
    return this.byHost.get(hostId) ?? {};
  }

  set(hostId: string, secrets: HostSecrets): void {
    const merged = { ...this.get(hostId), ...secrets };
    if (merged.password === undefined && merged.passphrase === undefined) this.byHost.delete(hostId);
    else this.byHost.set(hostId, merged);
    this.store?.save(hostId, this.get(hostId));
  }

  delete(hostId: string): void {
    this.byHost.delete(hostId);
    this.store?.remove(hostId);
  }

  /** What a HostView may show: whether a secret is held, never the secret. */
  has(hostId: string): { password: boolean; passphrase: boolean } {
    const s = this.get(hostId);
    return { password: s.password !== undefined, passphrase: s.passphrase !== undefined };
  }
}
