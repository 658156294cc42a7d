// SSH passwords and key passphrases for this session only: held in memory, never written to
// disk or logs. (The desktop shell adds OS-keychain storage through Electron's safeStorage.)

export interface HostSecrets {
  password?: string | undefined;
  passphrase?: string | undefined;
}

export class SessionSecrets {
  private readonly byHost = new Map<string, HostSecrets>();

  get(hostId: string): HostSecrets {
    return this.byHost.get(hostId) ?? {};
  }

  set(hostId: string, secrets: HostSecrets): void {
    const merged = { ...this.get(hostId), ...secrets };
    if (merged.password === undefined && merged.passphrase === undefined) this.byHost.delete(hostId);
    else this.byHost.set(hostId, merged);
  }

  delete(hostId: string): void {
    this.byHost.delete(hostId);
  }

  /** What a HostView may show: whether a secret is held, never the secret. */
  has(hostId: string): { password: boolean; passphrase: boolean } {
    const s = this.get(hostId);
    return { password: s.password !== undefined, passphrase: s.passphrase !== undefined };
  }
}
