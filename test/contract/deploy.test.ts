// The deploy.* and groups.* methods over every transport, against the real services, without
// the lab: an unreachable host is reported per host and excluded from placement with the reason;
// bad input is refused with the field named; groups are saved, listed and scaled (with the
// problem of each instance that could not be placed), and groups.changed arrives.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect } from '../helpers/transports';
import { rejection } from '../helpers/rejection';
import { freePort as closedPort } from '../helpers/sshd';
import type { Harness, TransportName } from '../helpers/transports';

const template = {
  source: { kind: 'overlay' as const, base: { pool: 'images', volume: 'debian.qcow2' } },
  pool: 'images',
  vcpus: 1,
  memoryMiB: 64,
  diskMiB: 1024,
};

describe.each<TransportName>(['memory', 'ipc', 'websocket'])('deploy over %s', (kind) => {
  let h: Harness;
  let hostId = '';
  beforeEach(async () => {
    h = await connect(kind);
    const port = await closedPort();
    hostId = (await h.client.call('hosts.add', { name: 'down', address: '127.0.0.1', port, user: 'root' })).config.id;
  });
  afterEach(async () => {
    await h.close();
  });

  it('reports an unreachable host per host, and placement excludes it with the reason', async () => {
    const [opts] = await h.client.call('deploy.hostOptions', {});
    expect(opts).toMatchObject({ hostId, hostName: 'down', ok: false, pools: [], capacity: null });
    expect(opts?.error).toMatch(/connection refused/i);
    const p = await h.client.call('deploy.placement', { vcpus: 1, memoryMiB: 64, pool: 'images' });
    expect(p.chosenHostId).toBeNull();
    expect(p.candidates[0]).toMatchObject({ hostId, eligible: false, rank: null });
    expect(p.summary).toMatch(/^no host can take this VM: down: .*connection refused/i);
    const e = await rejection(h.client.call('deploy.create', { name: 'web-1', placement: { mode: 'auto' }, template }));
    expect(e.code).toBe('conflict');
    expect(e.message).toMatch(/^no host can take this VM: down:/);
    const v = await h.client.call('deploy.validate', { name: 'web-1', placement: { mode: 'auto' }, template });
    expect(v).toMatchObject({ ok: false, hostId: null, errors: [{ field: 'placement' }] });
  });

  it('refuses bad input with the field named, and an unknown host', async () => {
    const bad = await rejection(
      h.client.call('deploy.create', {
        name: 'a/b',
        placement: { mode: 'host', hostId },
        template: { ...template, vcpus: 0 },
      }),
    );
    expect(bad.code).toBe('invalid_params');
    expect(bad.message).toMatch(/name must not contain "\/"/);
    expect(bad.message).toMatch(/vcpus must be at least 1/);
    const unknown = await rejection(h.client.call('deploy.hostOptions', { hostIds: ['nope'] }));
    expect(unknown.code).toBe('not_found');
  });

  it('saves, lists and scales a group; an instance that cannot be placed is a problem, not a task', async () => {
    const changed: string[][] = [];
    h.client.on('groups.changed', (e) => changed.push(e.ids));
    const g = await h.client.call('groups.save', { name: 'web', template, desired: 3 });
    expect(g).toMatchObject({ name: 'web', desired: 3, policy: { strategy: 'bestFit' } });
    const [view] = await h.client.call('groups.list', {});
    expect(view).toMatchObject({ group: { id: g.id }, instances: [], pendingTaskIds: [] });
    expect(view?.unreachable[0]).toMatchObject({ hostId });
    const r = await h.client.call('groups.scale', { id: g.id, count: 1 });
    expect(r).toMatchObject({ before: 0, created: 0, removed: 0, tasks: [] });
    expect(r.group.desired).toBe(1);
    expect(r.problems.join('\n')).toMatch(/web-1: no host can take this VM/);
    expect((await rejection(h.client.call('groups.save', { id: g.id, name: 'web2', template }))).message).toMatch(
      /cannot be renamed/,
    );
    expect((await rejection(h.client.call('groups.scale', { id: 'nope', count: 1 }))).code).toBe('not_found');
    expect(await h.client.call('groups.delete', { id: g.id })).toEqual({ removed: true, tasks: [] });
    expect(await h.client.call('groups.list', {})).toEqual([]);
    for (let i = 0; i < 50 && changed.length < 3; i++) await new Promise((res) => setTimeout(res, 20));
    expect(changed).toEqual([[g.id], [g.id], [g.id]]);
  });
});
