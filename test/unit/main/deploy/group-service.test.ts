// Group scaling on fakes: new instances take the lowest free numbers, scale-in removes the
// newest first (numeric names on a tie), instances are counted once across two host entries
// that reach the same libvirtd, and what cannot be placed is a problem.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { GroupRepo } from '../../../../src/main/deploy/group-repo';
import { GroupService } from '../../../../src/main/deploy/group-service';
import type { DeployService } from '../../../../src/main/deploy/deploy-service';
import { migrate } from '../../../../src/main/store/database';
import type { TaskEngine } from '../../../../src/main/tasks/task-engine';
import { groupSaveSchema } from '../../../../src/shared/contract/deploy-schemas';
import type { VmSpec } from '../../../../src/shared/contract/deploy-schemas';
import type { Task } from '../../../../src/shared/model/task';

const template = {
  source: { kind: 'overlay', base: { pool: 'p', volume: 'b' } },
  pool: 'p',
  vcpus: 1,
  memoryMiB: 32,
  diskMiB: 64,
};

function scanOutput(
  domains: { uuid: string; name: string; createdAt: number; hostId?: string }[],
  groupId: string,
): string {
  return [
    ...domains.map((d) => d.uuid),
    '@@VD tags',
    ...domains.flatMap((d) => [
      `@@VD dom ${d.uuid}`,
      d.name,
      '@@VD tag',
      `<instance created-at="${d.createdAt}"${d.hostId ? ` host-id="${d.hostId}"` : ''} group-id="${groupId}" group-name="web"/>`,
    ]),
  ].join('\n');
}

function setup(domains: { uuid: string; name: string; createdAt: number; hostId?: string }[], fits = true) {
  const db = new Database(':memory:');
  migrate(db, ':memory:');
  const repo = new GroupRepo(db);
  const submitted: Partial<Task>[] = [];
  const created: VmSpec[] = [];
  let groupId = '';
  let id = 0;
  const task = (t: Partial<Task>) => ({ id: ++id, state: 'queued', params: {}, ...t }) as Task;
  const engine = {
    list: () => [],
    submit: (t: Partial<Task>) => {
      submitted.push(t);
      return task(t);
    },
  } as unknown as TaskEngine;
  const deploy = {
    create: (spec: VmSpec) => {
      if (!fits) return Promise.reject(new Error('no host can take this VM: h1: memory'));
      created.push(spec);
      return Promise.resolve(task({ kind: 'deploy.create', targetName: spec.name }));
    },
  } as unknown as DeployService;
  const svc = new GroupService({
    repo,
    deploy,
    engine,
    // two host entries, one libvirtd: both see every domain
    exec: { run: () => Promise.resolve({ code: 0, output: scanOutput(domains, groupId) }) },
    hosts: () => [
      { id: 'h1', name: 'one', simulated: false },
      { id: 'h2', name: 'two', simulated: false },
    ],
    uriOf: () => 'qemu:///system',
    vmState: () => 'running',
    onChanged: () => undefined,
  });
  const g = svc.save(groupSaveSchema.parse({ name: 'web', template }));
  groupId = g.id;
  return { svc, g, submitted, created };
}

describe('GroupService.scale', () => {
  it('fills the lowest free numbers when scaling out', async () => {
    const { svc, g, created } = setup([
      { uuid: 'u1', name: 'web-1', createdAt: 1 },
      { uuid: 'u3', name: 'web-3', createdAt: 3 },
    ]);
    const r = await svc.scale(g.id, 4);
    expect(r.before).toBe(2);
    expect(created.map((s) => s.name)).toEqual(['web-2', 'web-4']);
    expect(created[0]?.placement).toEqual({ mode: 'auto', policy: g.policy });
  });

  it('removes the newest first, numeric names on a tie, each instance once', async () => {
    const { svc, g, submitted } = setup([
      { uuid: 'u1', name: 'web-1', createdAt: 1, hostId: 'h2' },
      { uuid: 'u9', name: 'web-9', createdAt: 5 },
      { uuid: 'u10', name: 'web-10', createdAt: 5 },
      { uuid: 'u2', name: 'web-2', createdAt: 2 },
    ]);
    const [view] = await svc.list();
    expect(view?.instances.map((i) => [i.name, i.hostId])).toEqual([
      ['web-1', 'h2'], // the entry named in its tag
      ['web-2', 'h1'],
      ['web-9', 'h1'],
      ['web-10', 'h1'],
    ]);
    const r = await svc.scale(g.id, 1);
    expect(r).toMatchObject({ before: 4, removed: 3, created: 0 });
    expect(submitted.map((t) => t.targetName)).toEqual(['web-10', 'web-9', 'web-2']);
    expect(submitted[0]).toMatchObject({
      kind: 'vm.delete',
      target: 'u10',
      params: { action: 'delete', options: { removeStorage: true, confirmName: 'web-10' }, groupId: g.id },
    });
  });

  it('reports an instance that cannot be placed as a problem', async () => {
    const { svc, g } = setup([], false);
    const r = await svc.scale(g.id, 1);
    expect(r).toMatchObject({ created: 0, tasks: [], problems: ['web-1: no host can take this VM: h1: memory'] });
    expect(r.group.desired).toBe(1);
  });
});
