// The Prometheus bearer token through the real composition root: with the desktop's safeStorage
// store only ciphertext reaches the data dir and it survives a restart; headless keeps it for the
// session only; never in a file in clear, never in the logs.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDesktopSecretStore } from '../../../../src/main/app/safe-storage-secrets';
import type { SafeStorageLike } from '../../../../src/main/app/safe-storage-secrets';
import { createServices } from '../../../../src/main/services';
import { tempDir } from '../../../helpers/temp';

const TOKEN = 'prom-token-Vb93-never-in-clear';
const ctx = { signal: new AbortController().signal };
const safe: SafeStorageLike = {
  isEncryptionAvailable: () => true,
  encryptString: (s) => Buffer.from(Buffer.from(s).map((b) => b ^ 0x5a)),
  decryptString: (b) => Buffer.from(b.map((x) => x ^ 0x5a)).toString(),
};

const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });

function open(dataDir: string, lines: string[], desktop: boolean) {
  return createServices({
    dataDir,
    mode: desktop ? 'electron' : 'headless',
    version: 't',
    home: tempDir('home'),
    demo: false,
    log: (l) => lines.push(l),
    ...(desktop ? { secretStore: createDesktopSecretStore(safe, dataDir, (l) => lines.push(l)) } : {}),
  });
}

describe('the Prometheus token', () => {
  it('desktop: encrypted by the keychain, back after a restart, never in clear on disk or in logs', async () => {
    const dataDir = tempDir('prom-token');
    const lines: string[] = [];
    const first = open(dataDir, lines, true);
    const set = await first.handlers['settings.prometheus.set'](
      { url: 'http://127.0.0.1:1', mode: 'always', token: TOKEN },
      ctx,
    );
    expect(set).toMatchObject({ hasToken: true, tokenPersistent: true });
    await first.handlers['history.series'](
      {
        target: { kind: 'host', hostId: 'none' },
        metric: 'cpu_pct',
        from: Date.now() - 60_000,
        to: Date.now(),
        maxPoints: 10,
      },
      ctx,
    );
    await first.stop();
    for (const f of filesUnder(dataDir)) expect(readFileSync(f).includes(TOKEN), f).toBe(false);
    expect(lines.join('\n')).not.toContain(TOKEN);
    const again = open(dataDir, lines, true);
    expect(await again.handlers['settings.prometheus.get']({}, ctx)).toMatchObject({ hasToken: true });
    await again.stop();
  });

  it('serve: held for this session only', async () => {
    const dataDir = tempDir('prom-token');
    const first = open(dataDir, [], false);
    await first.handlers['settings.prometheus.set']({ url: 'http://127.0.0.1:1', mode: 'always', token: TOKEN }, ctx);
    expect(await first.handlers['settings.prometheus.get']({}, ctx)).toMatchObject({
      hasToken: true,
      tokenPersistent: false,
    });
    await first.stop();
    const again = open(dataDir, [], false);
    expect(await again.handlers['settings.prometheus.get']({}, ctx)).toMatchObject({
      url: 'http://127.0.0.1:1',
      hasToken: false,
    });
    await again.stop();
  });
});
