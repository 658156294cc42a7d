// Through the real composition root: headless services keep SSH secrets in memory only, and
// with the desktop's safeStorage store only ciphertext reaches the data dir; never the logs.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDesktopSecretStore, SECRETS_FILE } from '../../../src/main/app/safe-storage-secrets';
import type { SafeStorageLike } from '../../../src/main/app/safe-storage-secrets';
import { createServices } from '../../../src/main/services';
import type { SecretStore } from '../../../src/main/config/secret-store';
import { tempDir } from '../../helpers/temp';

const PASSWORD = 'pw-Zq81-never-on-disk';
const PASSPHRASE = 'phrase-Xk22-never-logged';

const safe: SafeStorageLike = {
  isEncryptionAvailable: () => true,
  encryptString: (s) => Buffer.from(Buffer.from(s).map((b) => b ^ 0x33)),
  decryptString: (b) => Buffer.from(b.map((x) => x ^ 0x33)).toString(),
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

async function addHostWithSecrets(dataDir: string, lines: string[], secretStore?: SecretStore) {
  const services = createServices({
    dataDir,
    mode: secretStore ? 'electron' : 'headless',
    version: '0.0.0',
    home: tempDir('home'),
    demo: false,
    log: (l) => lines.push(l),
    ...(secretStore ? { secretStore } : {}),
  });
  const ctx = { signal: new AbortController().signal } as never;
  const view = await services.handlers['hosts.add'](
    { address: '127.0.0.1', port: 1, password: PASSWORD } as never,
    ctx,
  );
  // nothing listens on port 1: the connection attempt after setSecrets fails, which is fine here
  const id = view.config.id;
  await Promise.resolve(services.handlers['hosts.setSecrets']({ id, password: PASSWORD, passphrase: PASSPHRASE }, ctx))
    .then(() => undefined)
    .catch(() => undefined);
  await services.stop();
  return id;
}

function expectNoClearText(dataDir: string, lines: string[]) {
  for (const file of filesUnder(dataDir)) {
    const bytes = readFileSync(file);
    expect(bytes.includes(PASSWORD), file).toBe(false);
    expect(bytes.includes(PASSPHRASE), file).toBe(false);
  }
  expect(lines.join('\n')).not.toContain(PASSWORD);
  expect(lines.join('\n')).not.toContain(PASSPHRASE);
}

describe('secrets through the services', () => {
  it('headless: memory only, no secrets file, no clear text anywhere in the data dir or log', async () => {
    const dataDir = tempDir('svc-secrets');
    const lines: string[] = [];
    await addHostWithSecrets(dataDir, lines);
    expect(existsSync(join(dataDir, SECRETS_FILE))).toBe(false);
    expectNoClearText(dataDir, lines);
  });

  it('desktop: ciphertext in secrets.json, read back for the next session', async () => {
    const dataDir = tempDir('svc-secrets');
    const lines: string[] = [];
    const id = await addHostWithSecrets(
      dataDir,
      lines,
      createDesktopSecretStore(safe, dataDir, (l) => lines.push(l)),
    );
    expect(existsSync(join(dataDir, SECRETS_FILE))).toBe(true);
    expectNoClearText(dataDir, lines);
    const next = createDesktopSecretStore(safe, dataDir, (l) => lines.push(l)).loadAll();
    expect(next.get(id)).toEqual({ password: PASSWORD, passphrase: PASSPHRASE });
  });
});
