// One contract suite, run over every transport against the real core services.
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodName } from '../../src/shared/contract/api';
import { RpcError } from '../../src/shared/contract/errors';
import { snapshot } from '../helpers/snapshots';
import { connect } from '../helpers/transports';
import type { Harness, TransportName } from '../helpers/transports';

async function rejection(p: Promise<unknown>): Promise<RpcError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(RpcError);
    return e as RpcError;
  }
  throw new Error('expected the call to fail');
}

/** A TCP port that accepts connections and then says nothing (a hung sshd). */
async function silentServer(): Promise<{ server: Server; port: number }> {
  const server = createServer(() => undefined);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('no port');
  return { server, port: addr.port };
}

/** A TCP port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const { server, port } = await silentServer();
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe.each<TransportName>(['memory', 'ipc', 'websocket'])('contract over %s', (kind) => {
  let h: Harness;
  beforeEach(async () => {
    h = await connect(kind);
  });
  afterEach(async () => {
    await h.close();
  });

  it('answers app.info with the mode, version and data directory', async () => {
    const info = await h.client.call('app.info', {});
    expect(info).toEqual({
      name: 'VirtDeck',
      version: '0.0.0-test',
      mode: 'headless',
      dataDir: h.dataDir,
      secretStorage: 'session', // headless: secrets live in memory only
    });
  });

  it('starts with no hosts', async () => {
    expect(await h.client.call('hosts.list', {})).toEqual([]);
  });

  it('rejects invalid params with invalid_params naming each field', async () => {
    const err = await rejection(h.client.call('hosts.add', { address: 'a b;rm -rf /', user: '', port: 70000 }));
    expect(err.code).toBe('invalid_params');
    const fields = [...new Set((err.details as { fields: { field: string }[] }).fields.map((f) => f.field))].sort();
    expect(fields).toEqual(['address', 'port', 'user']);
    expect(err.message).toMatch(/^hosts\.add: /);
  });

  it('rejects unexpected extra params', async () => {
    const err = await rejection(h.client.call('hosts.list', { surprise: 1 } as never));
    expect(err.code).toBe('invalid_params');
  });

  it('answers an unknown method with unknown_method', async () => {
    const err = await rejection(h.client.call('hosts.explode' as MethodName, {} as never));
    expect(err.code).toBe('unknown_method');
    expect(err.message).toContain('hosts.explode');
  });

  it('adds a host, emits hosts.changed, lists it, refuses a duplicate, removes it', async () => {
    const port = await closedPort();
    const changed = new Promise<{ ids: string[] }>((resolve) => h.client.on('hosts.changed', resolve));
    const view = await h.client.call('hosts.add', { address: '127.0.0.1', port, user: 'root', name: 'closed' });
    expect(view.config).toMatchObject({
      name: 'closed',
      address: '127.0.0.1',
      port,
      uri: 'qemu:///system',
      intervalSec: 10,
    });
    expect((await changed).ids).toEqual([view.config.id]);
    expect((await h.client.call('hosts.list', {})).map((v) => v.config.id)).toEqual([view.config.id]);

    const dup = await rejection(h.client.call('hosts.add', { address: '127.0.0.1', port, user: 'root' }));
    expect(dup.code).toBe('conflict');

    await expect(h.client.call('hosts.remove', { id: view.config.id })).resolves.toEqual({ removed: true });
    expect(await h.client.call('hosts.list', {})).toEqual([]);
    expect((await rejection(h.client.call('hosts.remove', { id: view.config.id }))).code).toBe('not_found');
  });

  it('edits a host in place: same id, new settings, duplicates and unknown ids refused', async () => {
    const [portA, portB, portC] = [await closedPort(), await closedPort(), await closedPort()];
    const a = await h.client.call('hosts.add', { address: '127.0.0.1', port: portA, user: 'root', name: 'a' });
    await h.client.call('hosts.add', { address: '127.0.0.1', port: portB, user: 'root', name: 'b' });
    const dup = await rejection(
      h.client.call('hosts.update', { id: a.config.id, host: { address: '127.0.0.1', port: portB, user: 'root' } }),
    );
    expect(dup.code).toBe('conflict');
    expect(dup.message).toContain("already configured as 'b'");
    const changed = new Promise<{ ids: string[] }>((resolve) => h.client.on('hosts.changed', resolve));
    const edited = await h.client.call('hosts.update', {
      id: a.config.id,
      host: { address: '127.0.0.1', port: portC, user: 'vdmon', name: 'renamed', intervalSec: 30 },
    });
    expect(edited.config).toMatchObject({
      id: a.config.id,
      name: 'renamed',
      port: portC,
      user: 'vdmon',
      intervalSec: 30,
    });
    expect((await changed).ids).toEqual([a.config.id]);
    const listed = (await h.client.call('hosts.list', {})).find((v) => v.config.id === a.config.id);
    expect(listed?.config.port).toBe(portC);
    const after = await h.client.call('hosts.refresh', { id: a.config.id });
    expect(after.reason).toContain(`:${portC}`); // the new collector connects to the new port
    const missing = await rejection(h.client.call('hosts.update', { id: 'nope', host: { address: '127.0.0.1' } }));
    expect(missing.code).toBe('not_found');
    const bad = await rejection(h.client.call('hosts.update', { id: a.config.id, host: { address: '$(reboot)' } }));
    expect(bad.code).toBe('invalid_params');
  });

  it('refreshing an unreachable host reports why, and emits host.updated', async () => {
    const port = await closedPort();
    const view = await h.client.call('hosts.add', { address: '127.0.0.1', port, user: 'root' });
    const updated = new Promise<string>((resolve) => h.client.on('host.updated', (v) => resolve(v.status)));
    const after = await h.client.call('hosts.refresh', { id: view.config.id });
    expect(after.status).toBe('unreachable');
    expect(after.reason).toMatch(/connection refused/);
    expect(await updated).toBe('unreachable');
  });

  it('refuses to trust a host key that was never presented', async () => {
    const port = await closedPort();
    const view = await h.client.call('hosts.add', { address: '127.0.0.1', port, user: 'root' });
    const fp = 'SHA256:' + 'A'.repeat(43);
    expect((await rejection(h.client.call('hosts.trustHostKey', { id: view.config.id, fingerprint: fp }))).code).toBe(
      'conflict',
    );
    const bad = await rejection(h.client.call('hosts.trustHostKey', { id: view.config.id, fingerprint: 'md5:xx' }));
    expect(bad.code).toBe('invalid_params');
  });

  it('cancels a call in flight on the server (hosts.test against a silent port)', async () => {
    const { server, port } = await silentServer();
    try {
      const controller = new AbortController();
      const started = Date.now();
      const call = h.client.call(
        'hosts.test',
        { address: '127.0.0.1', port, user: 'root' },
        { signal: controller.signal },
      );
      setTimeout(() => controller.abort(), 300);
      const err = await rejection(call);
      expect(err.code).toBe('cancelled');
      expect(Date.now() - started).toBeLessThan(4000); // the handshake timeout (5 s) was not waited for
    } finally {
      server.close();
    }
  });

  it('answers history calls, validating targets, metrics and ranges', async () => {
    const status = await h.client.call('history.status', {});
    expect(status).toMatchObject({ ok: true, problem: null });
    expect(status.path).toBe(`${h.dataDir}/history.db`);
    const target = { kind: 'vm' as const, hostId: 'h1', uuid: '00000000-0000-4000-8000-000000000001' };
    const empty = await h.client.call('history.series', { target, metric: 'cpu_pct', from: 1000, to: 2000 });
    expect(empty).toMatchObject({ ts: [], avg: [] });
    const bad = await rejection(h.client.call('history.series', { target, metric: 'cpu_pct', from: 2000, to: 1000 }));
    expect(bad.code).toBe('invalid_params');
    expect(bad.message).toContain('to: to must be after from');
    const badMetric = await rejection(
      h.client.call('history.series', { target, metric: 'fun' as never, from: 1, to: 2 }),
    );
    expect((badMetric.details as { fields: { field: string }[] }).fields[0]?.field).toBe('metric');
    const badUuid = await rejection(
      h.client.call('history.series', { target: { ...target, uuid: 'x' }, metric: 'cpu_pct', from: 1, to: 2 }),
    );
    expect(badUuid.message).toContain('target.uuid');
    expect(await h.client.call('history.top', { metric: 'cpu_pct' })).toEqual([]);
    const csv = await h.client.call('history.export', { series: [{ target, metric: 'cpu_pct' }], from: 1, to: 2 });
    expect(csv).toEqual({ csv: 'time,host,vm,uuid,metric,avg,min,max\n', rows: 0 });
  });

  it('answers history.seriesMany with what history.series answers for each metric, in order', async () => {
    const now = Date.now();
    for (let ts = now - 600_000; ts <= now; ts += 10_000) h.services.history.record(snapshot('h1', ts, 2), 'host 1');
    h.services.history.flush();
    const uuid = snapshot('h1', now, 2).vms[1]?.uuid ?? '';
    const target = { kind: 'vm' as const, hostId: 'h1', uuid };
    const range = { from: now - 300_000, to: now, maxPoints: 20 };
    const metrics = ['mem_pct', 'cpu_pct', 'net_tx_bps'] as const;
    const many = await h.client.call('history.seriesMany', { target, metrics: [...metrics], ...range });
    const one = await Promise.all(
      metrics.map((metric) => h.client.call('history.series', { target, metric, ...range })),
    );
    expect(many).toEqual(one);
    expect(many[1]?.avg.some((v) => v !== null)).toBe(true);

    const empty = await rejection(h.client.call('history.seriesMany', { target, metrics: [], ...range }));
    expect((empty.details as { fields: { field: string }[] }).fields[0]?.field).toBe('metrics');
    const backwards = await rejection(
      h.client.call('history.seriesMany', { target, metrics: ['cpu_pct'], from: 2000, to: 1000 }),
    );
    expect(backwards.message).toContain('to: to must be after from');
    const unknown = await rejection(
      h.client.call('history.seriesMany', { target, metrics: ['cpu_pct', 'fun' as never], ...range }),
    );
    expect((unknown.details as { fields: { field: string }[] }).fields[0]?.field).toBe('metrics.1');
  });

  it('keeps retention settings, and refuses nonsense', async () => {
    expect(await h.client.call('settings.retention.get', {})).toEqual({ rawHours: 48, minuteDays: 14, hourDays: 365 });
    await h.client.call('settings.retention.set', { rawHours: 24, minuteDays: 7, hourDays: 90 });
    expect(await h.client.call('settings.retention.get', {})).toEqual({ rawHours: 24, minuteDays: 7, hourDays: 90 });
    const bad = await rejection(h.client.call('settings.retention.set', { rawHours: 0, minuteDays: 7, hourDays: 90 }));
    expect(bad.code).toBe('invalid_params');
  });

  it('survives malformed messages and keeps serving', async () => {
    h.sendRaw?.({ t: 'req', id: 'x', method: 7 });
    h.sendRaw?.({ hello: 'world' });
    h.sendRaw?.(null);
    expect((await h.client.call('app.info', {})).name).toBe('VirtDeck');
  });
});
