// The demo fleet through the real services: a fresh data dir gets 4 simulated hosts × 12 VMs,
// collected over SSH with their host key trusted for their own ports only; a restart brings the
// same hosts back; hosts.removeDemo removes them for good; a data dir with hosts gets no demo.
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createServices } from '../../src/main/services';
import type { Services } from '../../src/main/services';
import { until } from '../helpers/collector';
import { tempDir } from '../helpers/temp';

const open = (dataDir: string) => createServices({ dataDir, mode: 'headless', version: 't', home: tempDir('home') });
const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });

describe('demo fleet', () => {
  let services: Services | null = null;
  afterEach(async () => {
    await services?.stop();
    services = null;
  });

  it('starts with a fresh data dir, comes back on restart, and is removed for good in one call', async () => {
    const dataDir = tempDir('demo');
    services = open(dataDir);
    services.start();
    const s1 = services;
    const views = await until(
      '4 demo hosts collected',
      () => {
        const list = s1.fleet.list();
        return list.length === 4 && list.every((v) => v.status === 'ok' && v.vms.length === 12) ? list : false;
      },
      30_000,
    );
    expect(views.every((v) => v.config.simulated && v.config.address === '127.0.0.1')).toBe(true);
    const trusted = JSON.parse(readFileSync(join(dataDir, 'trusted-host-keys.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(Object.keys(trusted).sort()).toEqual(views.map((v) => `[127.0.0.1]:${v.config.port}`).sort());
    const ids = views.map((v) => v.config.id).sort();
    const ports = views.map((v) => v.config.port ?? 0);

    await services.stop();
    services = open(dataDir);
    services.start();
    const s2 = services;
    await until('demo back after a restart', () => s2.fleet.list().every((v) => v.status === 'ok'), 30_000);
    expect(
      s2.fleet
        .list()
        .map((v) => v.config.id)
        .sort(),
    ).toEqual(ids);

    // a demo host is not edited into a real one: the demo fleet is removed as a whole
    const demo = s2.fleet.list()[0]?.config;
    if (!demo) throw new Error('no demo host');
    const { id, ...settings } = demo;
    expect(() => s2.fleet.update(id, settings)).toThrow(/is a demo host: remove the demo fleet instead/);

    await expect(s2.handlers['hosts.removeDemo']({}, { signal: new AbortController().signal })).resolves.toEqual({
      removed: 4,
    });
    expect(s2.fleet.list()).toEqual([]);
    for (const p of ports) expect(await refused(p)).toBe(true);
    expect(readFileSync(join(dataDir, 'trusted-host-keys.json'), 'utf8')).not.toContain('127.0.0.1');
    expect(existsSync(join(dataDir, 'demo-fleet'))).toBe(false);

    await services.stop();
    services = open(dataDir);
    services.start();
    await new Promise((r) => setTimeout(r, 300));
    expect(services.fleet.list()).toEqual([]);
  });

  it('stopped while it starts: nothing runs afterwards', async () => {
    const s = open(tempDir('demo-stop'));
    let events = 0;
    s.hub.subscribe((event) => {
      if (event === 'host.updated') events++;
    });
    s.start();
    await s.stop();
    const after = events;
    await new Promise((r) => setTimeout(r, 1500));
    expect(events).toBe(after);
    expect(s.fleet.list().every((v) => v.status === 'connecting')).toBe(true);
  });

  it('does not start when hosts are configured', async () => {
    const dataDir = tempDir('demo-real');
    services = open(dataDir);
    services.fleet.add({
      address: '127.0.0.1',
      port: 9,
      user: 'root',
      uri: 'qemu:///system',
      intervalSec: 60,
      timeoutSec: 1,
      enabled: false,
    });
    services.start();
    await new Promise((r) => setTimeout(r, 300));
    expect(services.fleet.list().map((v) => v.config.simulated)).toEqual([false]);
    expect(existsSync(join(dataDir, 'demo-fleet.json'))).toBe(false);
  });
});
