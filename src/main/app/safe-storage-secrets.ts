// The desktop SecretStore: SSH passwords and passphrases encrypted by Electron's safeStorage (the
// OS keychain) in secrets.json as base64 ciphertext; without a keychain, session-only, said once.
import { join } from 'node:path';
import { JsonFile } from '../config/json-file';
import { MemorySecretStore } from '../config/secret-store';
import type { SecretStore } from '../config/secret-store';
import type { HostSecrets } from '../config/session-secrets';

/** The slice of Electron's safeStorage used here (a fake stands in for tests). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

type Field = 'password' | 'passphrase';
const FIELDS: readonly Field[] = ['password', 'passphrase'];

/** On disk: ciphertext only, base64. */
interface SecretsFile {
  version: 1;
  hosts: Record<string, Partial<Record<Field, string>>>;
}

export const SECRETS_FILE = 'secrets.json';

class SafeStorageSecretStore implements SecretStore {
  readonly persistent = true;
  private readonly file: JsonFile<SecretsFile>;

  constructor(
    private readonly safe: SafeStorageLike,
    path: string,
    private readonly log: (line: string) => void,
  ) {
    this.file = new JsonFile<SecretsFile>(path, { version: 1, hosts: {} });
  }

  loadAll(): Map<string, HostSecrets> {
    const out = new Map<string, HostSecrets>();
    let doc: SecretsFile;
    try {
      doc = this.file.read();
    } catch (e) {
      this.log(`secrets: ${(e as Error).message}; stored secrets not loaded`);
      return out;
    }
    for (const [hostId, enc] of Object.entries(doc.hosts ?? {})) {
      const secrets: HostSecrets = {};
      for (const field of FIELDS) {
        const b64 = enc[field];
        if (typeof b64 !== 'string') continue;
        try {
          secrets[field] = this.safe.decryptString(Buffer.from(b64, 'base64'));
        } catch {
          // never the value or the error text (it may quote the input): only what could not be read
          this.log(`secrets: the stored ${field} for host ${hostId} could not be decrypted; enter it again`);
        }
      }
      if (secrets.password !== undefined || secrets.passphrase !== undefined) out.set(hostId, secrets);
    }
    return out;
  }

  save(hostId: string, secrets: HostSecrets): void {
    const enc: Partial<Record<Field, string>> = {};
    for (const field of FIELDS) {
      const value = secrets[field];
      if (value !== undefined) enc[field] = this.safe.encryptString(value).toString('base64');
    }
    this.update((hosts) => (Object.keys(enc).length ? hosts.set(hostId, enc) : hosts.delete(hostId)));
  }

  remove(hostId: string): void {
    this.update((hosts) => hosts.delete(hostId));
  }

  private update(change: (hosts: Map<string, Partial<Record<Field, string>>>) => void): void {
    let hosts: Map<string, Partial<Record<Field, string>>>;
    try {
      hosts = new Map(Object.entries(this.file.read().hosts ?? {}));
    } catch {
      hosts = new Map(); // an unreadable file is replaced rather than keeping secrets from being saved
    }
    change(hosts);
    this.file.write({ version: 1, hosts: Object.fromEntries(hosts) }, 0o600);
  }
}

/**
 * safeStorage-backed where the OS keychain can encrypt; otherwise memory-only, and the log says
 * that passwords and passphrases will be asked for each session.
 */
export function createDesktopSecretStore(
  safe: SafeStorageLike,
  dataDir: string,
  log: (line: string) => void,
): SecretStore {
  if (!safe.isEncryptionAvailable()) {
    log(
      'secrets: OS keychain encryption is not available; SSH passwords and passphrases are kept for this session only',
    );
    return new MemorySecretStore();
  }
  return new SafeStorageSecretStore(safe, join(dataDir, SECRETS_FILE), log);
}
