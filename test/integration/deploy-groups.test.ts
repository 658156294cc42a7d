// Groups on the real lab: a template saved, scaled 0 → 2 (two create tasks, placed on the two
// lab "hosts" by least-loaded placement, both running) → 1 (the newest removed with its
// storage) → deleted with its last instance. Instances are found by their VirtDeck tag.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithLab } from '../helpers/lab';
import { BASE, createTestPool, removeDomainByName, startDeployLab } from '../helpers/deploy-lab';
import type { DeployLab, TestPool } from '../helpers/deploy-lab';

describeWithLab('deploy: groups scale out and in', (getLab) => {
  let d: DeployLab;
  let pool: TestPool;
  const GROUP = 'vd-deploy-grp';

  beforeAll(async () => {
    pool = createTestPool(getLab(), 'g');
    d = await startDeployLab(getLab());
  }, 60_000);

  afterAll(async () => {
    await d?.close();
    for (const n of [1, 2, 3]) removeDomainByName(getLab(), `${GROUP}-${n}`);
    pool?.remove();
  });

  it('scales 0 → 2 → 1 and is deleted with its last instance', async () => {
    const group = await d.client.call('groups.save', {
      name: GROUP,
      template: {
        source: { kind: 'overlay', base: { pool: pool.name, volume: BASE } },
        pool: pool.name,
        vcpus: 1,
        memoryMiB: 32,
        diskMiB: 32,
        virtType: 'qemu',
      },
      policy: { strategy: 'leastLoaded' },
    });
    expect(group).toMatchObject({ name: GROUP, desired: 0 });
    await expect(d.client.call('groups.save', { name: GROUP, template: group.template })).rejects.toThrow(
      `a group named '${GROUP}' already exists`,
    );
    const empty = (await d.client.call('groups.list', {})).find((g) => g.group.id === group.id);
    expect(empty?.instances).toEqual([]);

    // two scales at once are taken one after the other: the second sees the first's creates under way
    const [up, again] = await Promise.all([
      d.client.call('groups.scale', { id: group.id, count: 2 }),
      d.client.call('groups.scale', { id: group.id, count: 2 }),
    ]);
    expect(up).toMatchObject({ before: 0, created: 2, removed: 0, problems: [] });
    expect(again).toMatchObject({ before: 2, created: 0, removed: 0, tasks: [] });
    expect(up.group.desired).toBe(2);
    expect(up.tasks.map((t) => t.targetName)).toEqual([`${GROUP}-1`, `${GROUP}-2`]);
    // the second placement counts the first VM on its way: least loaded spreads them
    expect(new Set(up.tasks.map((t) => t.hostId))).toEqual(new Set([d.hostId, d.hostB]));
    for (const t of up.tasks) expect((await d.settle(t.id, 120_000)).state).toBe('succeeded');

    const two = (await d.client.call('groups.list', {})).find((g) => g.group.id === group.id);
    expect(two?.pendingTaskIds).toEqual([]);
    expect(two?.instances.map((i) => [i.name, i.hostId, i.state])).toEqual(
      up.tasks.map((t) => [t.targetName, t.hostId, 'running']),
    );
    expect(pool.volumes()).toHaveLength(3);

    const down = await d.client.call('groups.scale', { id: group.id, count: 1 });
    expect(down).toMatchObject({ before: 2, created: 0, removed: 1 });
    expect(down.tasks[0]).toMatchObject({ kind: 'vm.delete', targetName: `${GROUP}-2`, hostId: up.tasks[1]?.hostId });
    expect((await d.settle(down.tasks[0]?.id ?? 0, 60_000)).state).toBe('succeeded');
    const one = (await d.client.call('groups.list', {})).find((g) => g.group.id === group.id);
    expect(one?.instances.map((i) => i.name)).toEqual([`${GROUP}-1`]);
    expect(pool.volumes()).toHaveLength(2);

    await expect(d.client.call('groups.delete', { id: group.id })).rejects.toThrow(/still has 1 instance/);
    const gone = await d.client.call('groups.delete', { id: group.id, removeInstances: true });
    expect(gone.tasks.map((t) => t.targetName)).toEqual([`${GROUP}-1`]);
    expect((await d.settle(gone.tasks[0]?.id ?? 0, 60_000)).state).toBe('succeeded');
    expect((await d.client.call('groups.list', {})).find((g) => g.group.id === group.id)).toBeUndefined();
    expect(pool.volumes()).toEqual([BASE]);
  }, 240_000);
});
