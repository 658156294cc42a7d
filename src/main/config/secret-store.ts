// Where SSH passwords and key passphrases may outlive a session. The core sees only this
// interface; headless mode and tests use the memory-only one, the desktop shell a safeStorage one.
import type { HostSecrets } from './session-secrets';

export interface SecretStore {
  /** True when secrets survive a restart (encrypted by the OS keychain); false: this session only. */
  readonly persistent: boolean;
  /** Every stored host's secrets, decrypted, to prefill the session at start. */
  loadAll(): Map<string, HostSecrets>;
  /** Replaces what is stored for a host (nothing held: the entry is removed). */
  save(hostId: string, secrets: HostSecrets): void;
  remove(hostId: string): void;
}

/** Keeps nothing beyond the session: SessionSecrets already holds the values in memory. */
export class MemorySecretStore implements SecretStore {
  readonly persistent = false;
  loadAll(): Map<string, HostSecrets> {
    return new Map();
  }
  save(): void {}
  remove(): void {}
}
