// The desktop app's /metrics switch: a loopback listener behind a bearer token kept in a 0600
// file, on and off through the contract, back after a restart, a busy port said in words.
import { readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createServices } from '../../../../src/main/services';
import type { Services } from '../../../../src/main/services';
import { freePort } from '../../../helpers/sshd';
import { tempDir } from '../../../helpers/temp';

const ctx = { signal: new AbortController().signal };
const open: Services[] = [];
const make = (dataDir: string, mode: 'electron' | 'headless' = 'electron') => {
  const s = createServices({ dataDir, mode, version: 't', home: tempDir('home'), demo: false, log: () => undefined });
  open.push(s);
  return s;
};
afterEach(async () => {
  for (const s of open.splice(0)) await s.stop();
});

describe('the desktop /metrics switch', () => {
  it('serves /metrics on loopback with the token file, and stops when switched off', async () => {
    const dataDir = tempDir('metrics-exposer');
    const s = make(dataDir);
    const port = await freePort();
    expect(await s.handlers['settings.metrics.get']({}, ctx)).toMatchObject({
      available: true,
      enabled: false,
      url: null,
    });
    const v = await s.handlers['settings.metrics.set']({ enabled: true, port }, ctx);
    expect(v).toMatchObject({ enabled: true, url: `http://127.0.0.1:${port}/metrics`, error: null });
    expect(statSync(v.tokenFile).mode & 0o777).toBe(0o600);
    const token = readFileSync(v.tokenFile, 'utf8');
    expect(token.length).toBeGreaterThanOrEqual(43);
    const url = v.url ?? '';
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url.replace('/metrics', '/'), { headers: { Authorization: `Bearer ${token}` } })).status).toBe(
      404,
    );
    const ok = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('# TYPE libvirt_up gauge');
    await s.handlers['settings.metrics.set']({ enabled: false, port }, ctx);
    await expect(fetch(url)).rejects.toThrow();
  });

  it('listens again after a restart, with the same token', async () => {
    const dataDir = tempDir('metrics-exposer');
    const port = await freePort();
    const first = make(dataDir);
    const v = await first.handlers['settings.metrics.set']({ enabled: true, port }, ctx);
    const token = readFileSync(v.tokenFile, 'utf8');
    await first.stop();
    open.splice(open.indexOf(first), 1);
    const again = make(dataDir);
    again.start();
    await expect
      .poll(
        async () =>
          (await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { Authorization: `Bearer ${token}` } })).status,
      )
      .toBe(200);
  });

  it('says a busy port in words and stays off', async () => {
    const blocker = createServer();
    const port = await freePort();
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', () => r()));
    try {
      const s = make(tempDir('metrics-exposer'));
      await expect(s.handlers['settings.metrics.set']({ enabled: true, port }, ctx)).rejects.toThrow(
        `port ${port} is in use: choose another one`,
      );
      expect(await s.handlers['settings.metrics.get']({}, ctx)).toMatchObject({ enabled: false, url: null });
    } finally {
      blocker.close();
    }
  });

  it('is not offered in serve mode (serve --metrics is)', async () => {
    const s = make(tempDir('metrics-exposer'), 'headless');
    expect((await s.handlers['settings.metrics.get']({}, ctx)).available).toBe(false);
    await expect(s.handlers['settings.metrics.set']({ enabled: true, port: 9177 }, ctx)).rejects.toThrow(/--metrics/);
  });
});
