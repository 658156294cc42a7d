// Groups of identical VMs: a template + placement policy + desired count. Scaling out creates
// `<group>-<n>` instances as deploy.create tasks (placed automatically, one after the other so
// each placement counts the ones before it); scaling in deletes the newest instances first
// (force off, undefine with storage) as vm.delete tasks. Instances are found on the hosts by
// the group's id in the VirtDeck tag of each domain's metadata.
import { randomUUID } from 'node:crypto';
import type { GroupSave } from '../../shared/contract/deploy-schemas';
import { RpcError } from '../../shared/contract/errors';
import type { GroupInstance, GroupView, ScaleResult, VmGroup } from '../../shared/model/deploy';
import type { VmState } from '../../shared/model/host';
import type { Task } from '../../shared/model/task';
import type { TaskEngine } from '../tasks/task-engine';
import type { HostExec } from '../tasks/workflow';
import { CREATE_KIND } from './create-workflow';
import type { CreatePlan } from './create-workflow';
import type { DeployHost, DeployService } from './deploy-service';
import type { GroupRepo } from './group-repo';
import { parseScan, scanArgv } from './instance-scan';

export interface GroupDeps {
  repo: GroupRepo;
  deploy: DeployService;
  engine: TaskEngine;
  exec: HostExec;
  hosts(): DeployHost[];
  uriOf(hostId: string): string;
  /** The state the collector last saw, or null. */
  vmState(hostId: string, uuid: string): VmState | null;
  onChanged(ids: string[]): void;
  now?: () => number;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
const ACTIVE = ['queued', 'running'] as const;

export class GroupService {
  private readonly now: () => number;
  /** One scale or delete at a time per group: two at once would both count the same instances. */
  private readonly busy = new Map<string, Promise<unknown>>();

  constructor(private readonly d: GroupDeps) {
    this.now = d.now ?? Date.now;
  }

  private group(id: string): VmGroup {
    const g = this.d.repo.get(id);
    if (!g) throw new RpcError('not_found', `no group with id '${id}'`);
    return g;
  }

  /** Every tagged instance on every real host, by group id; hosts that did not answer, with why. */
  private async scan(): Promise<{ byGroup: Map<string, GroupInstance[]>; unreachable: GroupView['unreachable'] }> {
    const byGroup = new Map<string, GroupInstance[]>();
    const unreachable: GroupView['unreachable'] = [];
    const creators = new Map<string, string>();
    const hosts = this.d.hosts().filter((h) => !h.simulated);
    await Promise.all(
      hosts.map(async (h) => {
        try {
          const r = await this.d.exec.run(h.id, scanArgv(this.d.uriOf(h.id)), 60_000);
          if (r.code !== 0) throw new Error(r.output.trim().split('\n')[0] ?? `exit status ${r.code}`);
          for (const dom of parseScan(r.output)) {
            const gid = dom.tag.group?.id;
            if (!gid) continue;
            if (dom.tag.hostId) creators.set(dom.uuid, dom.tag.hostId);
            const list = byGroup.get(gid) ?? [];
            list.push({
              hostId: h.id,
              hostName: h.name,
              uuid: dom.uuid,
              name: dom.name,
              state: this.d.vmState(h.id, dom.uuid) ?? 'unknown',
              createdAt: dom.tag.createdAt,
            });
            byGroup.set(gid, list);
          }
        } catch (e) {
          unreachable.push({ hostId: h.id, error: message(e) });
        }
      }),
    );
    for (const [gid, list] of byGroup) {
      // two host entries may reach the same libvirtd: one instance per UUID, on the entry that created it
      const byUuid = new Map<string, GroupInstance>();
      for (const i of list) {
        const seen = byUuid.get(i.uuid);
        if (!seen || (creators.get(i.uuid) === i.hostId && creators.get(i.uuid) !== seen.hostId)) byUuid.set(i.uuid, i);
      }
      byGroup.set(
        gid,
        [...byUuid.values()].sort(
          (a, b) => a.createdAt - b.createdAt || a.name.localeCompare(b.name, undefined, { numeric: true }),
        ),
      );
    }
    return { byGroup, unreachable };
  }

  /** Create and delete tasks of a group that are still queued or running. */
  private activeTasks(groupId: string): Task[] {
    const out: Task[] = [];
    for (const state of ACTIVE) {
      for (const t of this.d.engine.list({ state, limit: 1000 })) {
        const plan = t.params.plan as CreatePlan | undefined;
        if ((t.kind === CREATE_KIND && plan?.group?.id === groupId) || t.params.groupId === groupId) out.push(t);
      }
    }
    return out;
  }

  async list(): Promise<GroupView[]> {
    const groups = this.d.repo.list();
    if (groups.length === 0) return [];
    const { byGroup, unreachable } = await this.scan();
    return groups.map((group) => ({
      group,
      instances: byGroup.get(group.id) ?? [],
      pendingTaskIds: this.activeTasks(group.id).map((t) => t.id),
      unreachable,
    }));
  }

  save(p: GroupSave): VmGroup {
    const existing = p.id ? this.group(p.id) : null;
    const clash = this.d.repo.byName(p.name);
    if (clash && clash.id !== existing?.id) {
      throw new RpcError('conflict', `a group named '${p.name}' already exists`, {
        fields: [{ field: 'name', message: `a group named '${p.name}' already exists` }],
      });
    }
    if (existing && existing.name !== p.name) {
      // instances are named after the group; a rename would orphan their names, not their tags
      throw new RpcError('conflict', `a group cannot be renamed (its instances are named '${existing.name}-<n>')`, {
        fields: [{ field: 'name', message: 'a group cannot be renamed' }],
      });
    }
    const now = this.now();
    const group: VmGroup = {
      id: existing?.id ?? randomUUID().slice(0, 8),
      name: p.name,
      template: p.template,
      policy: p.policy,
      desired: p.desired,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    this.d.repo.upsert(group);
    this.d.onChanged([group.id]);
    return group;
  }

  private deleteTask(group: VmGroup, i: GroupInstance): Task {
    return this.d.engine.submit({
      kind: 'vm.delete',
      hostId: i.hostId,
      target: i.uuid,
      targetName: i.name,
      params: { action: 'delete', options: { removeStorage: true, confirmName: i.name }, groupId: group.id },
    });
  }

  private serial<T>(id: string, work: () => Promise<T>): Promise<T> {
    const before = this.busy.get(id) ?? Promise.resolve();
    const run = before.then(work, work);
    const tail = run.catch(() => undefined);
    this.busy.set(id, tail);
    void tail.then(() => {
      if (this.busy.get(id) === tail) this.busy.delete(id);
    });
    return run;
  }

  remove(id: string, removeInstances: boolean): Promise<{ removed: true; tasks: Task[] }> {
    return this.serial(id, () => this.removeNow(id, removeInstances));
  }

  scale(id: string, count: number): Promise<ScaleResult> {
    return this.serial(id, () => this.scaleNow(id, count));
  }

  private async removeNow(id: string, removeInstances: boolean): Promise<{ removed: true; tasks: Task[] }> {
    const group = this.group(id);
    const { byGroup, unreachable } = await this.scan();
    const active = this.activeTasks(id);
    if (active.length > 0) {
      throw new RpcError(
        'conflict',
        `group '${group.name}' has ${active.length} task(s) under way (${active.map((t) => t.id).join(', ')}): delete it when they end`,
      );
    }
    const instances = byGroup.get(id) ?? [];
    if (!removeInstances && instances.length > 0) {
      throw new RpcError(
        'conflict',
        `group '${group.name}' still has ${instances.length} instance(s): scale it to 0 first, or delete with removeInstances`,
      );
    }
    if (removeInstances && unreachable.length > 0) {
      throw new RpcError(
        'unavailable',
        `cannot see every host to find the group's instances (${unreachable.map((u) => `${u.hostId}: ${u.error}`).join('; ')})`,
      );
    }
    const tasks = instances.map((i) => this.deleteTask(group, i));
    this.d.repo.remove(id);
    this.d.onChanged([id]);
    return { removed: true, tasks };
  }

  private async scaleNow(id: string, count: number): Promise<ScaleResult> {
    let group = this.group(id);
    this.d.repo.setDesired(id, count, this.now());
    group = this.group(id);
    const { byGroup, unreachable } = await this.scan();
    const active = this.activeTasks(id);
    const deleting = new Set(active.filter((t) => t.kind === 'vm.delete').map((t) => t.target));
    const instances = (byGroup.get(id) ?? []).filter((i) => !deleting.has(i.uuid));
    // a create under way may already show as a domain: count it once, and never delete it mid-create
    const creating = active.filter((t) => t.kind === CREATE_KIND);
    const inCreation = new Set(creating.map((t) => t.target));
    const settled = instances.filter((i) => !inCreation.has(i.uuid));
    const before = settled.length + creating.length;
    const tasks: Task[] = [];
    const problems: string[] = unreachable.map(
      (u) => `host ${u.hostId} did not answer (its instances are not counted): ${u.error}`,
    );
    if (count > before) {
      const taken = new Set([...instances.map((i) => i.name), ...creating.map((t) => t.targetName ?? '')]);
      let n = 1;
      for (let k = 0; k < count - before; k++) {
        while (taken.has(`${group.name}-${n}`)) n++;
        const name = `${group.name}-${n}`;
        taken.add(name);
        try {
          tasks.push(
            await this.d.deploy.create(
              { name, placement: { mode: 'auto', policy: group.policy }, template: group.template },
              { id: group.id, name: group.name },
            ),
          );
        } catch (e) {
          problems.push(`${name}: ${message(e)}`);
        }
      }
    } else if (count < before) {
      const excess = before - count;
      const newest = [...settled].sort(
        (a, b) => b.createdAt - a.createdAt || b.name.localeCompare(a.name, undefined, { numeric: true }),
      );
      for (const i of newest.slice(0, excess)) tasks.push(this.deleteTask(group, i));
      if (excess > settled.length) {
        problems.push(
          `${excess - settled.length} instance(s) are still being created: scale again when their tasks end`,
        );
      }
    }
    this.d.onChanged([id]);
    return {
      group,
      before,
      tasks,
      created: tasks.filter((t) => t.kind === CREATE_KIND).length,
      removed: tasks.filter((t) => t.kind === 'vm.delete').length,
      problems,
    };
  }
}
