import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDesktopSecretStore, SECRETS_FILE } from '../../../../src/main/app/safe-storage-secrets';
import type { SafeStorageLike } from '../../../../src/main/app/safe-storage-secrets';
import { MemorySecretStore } from '../../../../src/main/config/secret-store';
import { SessionSecrets } from '../../../../src/main/config/session-secrets';
import { tempDir } from '../../../helpers/temp';

const PASSWORD = 'hunter2-Sekr3t-pw';
const PASSPHRASE = 'correct horse battery staple';

/** Like Electron's safeStorage: opaque ciphertext (here XOR + a header), throws on foreign data. */
function fakeSafeStorage(available = true): SafeStorageLike & { calls: string[] } {
  const calls: string[] = [];
  const key = 0x5a;
  return {
    calls,
    isEncryptionAvailable: () => available,
    encryptString(plain) {
      if (!available) throw new Error('Encryption is not available.');
      calls.push('encrypt');
      return Buffer.concat([Buffer.from('v10'), Buffer.from(Buffer.from(plain, 'utf8').map((b) => b ^ key))]);
    },
    decryptString(enc) {
      if (enc.subarray(0, 3).toString() !== 'v10') throw new Error(`Error while decrypting the ciphertext provided`);
      calls.push('decrypt');
      return Buffer.from(enc.subarray(3).map((b) => b ^ key)).toString('utf8');
    },
  };
}

describe('safeStorage secret store', () => {
  it('persists only ciphertext (0600) and prefills the next session', () => {
    const dir = tempDir('secrets');
    const lines: string[] = [];
    const safe = fakeSafeStorage();
    const store = createDesktopSecretStore(safe, dir, (l) => lines.push(l));
    expect(store.persistent).toBe(true);
    const first = new SessionSecrets(store);
    first.set('h1', { password: PASSWORD });
    first.set('h1', { passphrase: PASSPHRASE });
    first.set('h2', { password: PASSWORD });

    const path = join(dir, SECRETS_FILE);
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(PASSPHRASE);
    expect(text).not.toContain(Buffer.from(PASSWORD).toString('base64'));
    const doc = JSON.parse(text) as { hosts: Record<string, Record<string, string>> };
    expect(Object.keys(doc.hosts)).toEqual(['h1', 'h2']);
    expect(doc.hosts.h1?.password).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(statSync(path).mode & 0o777).toBe(0o600);

    const second = new SessionSecrets(createDesktopSecretStore(safe, dir, (l) => lines.push(l)));
    expect(second.get('h1')).toEqual({ password: PASSWORD, passphrase: PASSPHRASE });
    expect(second.get('h2')).toEqual({ password: PASSWORD });
    second.delete('h2');
    expect(readFileSync(path, 'utf8')).not.toContain('"h2"');
    second.set('h1', { password: undefined, passphrase: undefined });
    expect((JSON.parse(readFileSync(path, 'utf8')) as { hosts: object }).hosts).toEqual({});
    expect(lines.join('\n')).not.toMatch(/hunter2|battery/);
  });

  it('logs which entry could not be decrypted, never its value', () => {
    const dir = tempDir('secrets');
    const safe = fakeSafeStorage();
    new SessionSecrets(createDesktopSecretStore(safe, dir, () => undefined)).set('h1', {
      password: PASSWORD,
      passphrase: PASSPHRASE,
    });
    const path = join(dir, SECRETS_FILE);
    const doc = JSON.parse(readFileSync(path, 'utf8')) as { hosts: Record<string, Record<string, string>> };
    doc.hosts.h1 = { ...doc.hosts.h1, password: Buffer.from(PASSWORD).toString('base64') }; // not our ciphertext
    writeFileSync(path, JSON.stringify(doc));
    const lines: string[] = [];
    const secrets = new SessionSecrets(createDesktopSecretStore(safe, dir, (l) => lines.push(l)));
    expect(secrets.get('h1')).toEqual({ passphrase: PASSPHRASE });
    expect(lines).toEqual([expect.stringContaining('password for host h1 could not be decrypted')]);
    expect(lines.join('\n')).not.toContain(PASSWORD);
  });

  it('without a keychain: session only, nothing written, and says so', () => {
    const dir = tempDir('secrets');
    const lines: string[] = [];
    const safe = fakeSafeStorage(false);
    const store = createDesktopSecretStore(safe, dir, (l) => lines.push(l));
    expect(store.persistent).toBe(false);
    const secrets = new SessionSecrets(store);
    secrets.set('h1', { password: PASSWORD });
    expect(secrets.get('h1').password).toBe(PASSWORD);
    expect(existsSync(join(dir, SECRETS_FILE))).toBe(false);
    expect(lines).toEqual([expect.stringContaining('kept for this session only')]);
    expect(safe.calls).toEqual([]);
  });

  it('the memory store (headless, tests) keeps nothing', () => {
    const store = new MemorySecretStore();
    const secrets = new SessionSecrets(store);
    secrets.set('h1', { password: PASSWORD });
    expect(store.loadAll().size).toBe(0);
    expect(new SessionSecrets(store).get('h1')).toEqual({});
  });
});
