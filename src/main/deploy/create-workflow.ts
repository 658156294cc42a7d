// The `deploy.create` task: check the host → create the disk → [grow a copy] → [build and upload
// the cloud-init seed ISO] → define → [autostart] → [start → wait until the collector sees it
// running]. Everything the steps need is fixed in the task's plan when it is submitted (the VM's
// UUID, volume names, the base volume's path), so a restart plans the same steps and a rollback
// finds what to undo: the undos address the domain by UUID and the volumes by pool and name.
import type { VmSpec } from '../../shared/contract/deploy-schemas';
import { placementPolicySchema } from '../../shared/contract/deploy-schemas';
import type { VmState } from '../../shared/model/host';
import { StepError } from '../tasks/workflow';
import type { StepContext, StepDef, TaskSpec, WorkflowFactory } from '../tasks/workflow';
import { seedFiles } from './cloud-init';
import { buildDomainXml } from './domain-xml';
import { capacityOf, parseProbe, probeArgv } from './host-probe';
import { MIB, rankHosts } from './placement';
import { buildSeedIso, seedDir, uploadSeedIso } from './seed-iso';

export const CREATE_KIND = 'deploy.create';

export interface CreatePlan {
  spec: VmSpec;
  hostId: string;
  uuid: string;
  createdAt: number;
  disk: { pool: string; volume: string; format: string };
  /** The base volume as the host described it at submit time (overlay and copy). */
  base: { pool: string; volume: string; path: string; format: string; capacityBytes: number } | null;
  seed: { pool: string; volume: string } | null;
  group: { id: string; name: string } | null;
}

export interface CreateDeps {
  uriOf(hostId: string): string;
  /** The VM's state after a fresh collector cycle of its host (null: the collector does not list it). */
  vmState(hostId: string, uuid: string): Promise<VmState | null>;
  /** How long `wait until running` waits (default 60 s) and how often it looks (default 1 s). */
  runningTimeoutMs?: number;
  pollMs?: number;
}

/** The domain XML `define` gets for a plan. */
export function planXml(plan: CreatePlan): string {
  const t = plan.spec.template;
  return buildDomainXml({
    name: plan.spec.name,
    uuid: plan.uuid,
    virtType: t.virtType,
    vcpus: t.vcpus,
    memoryMiB: t.memoryMiB,
    disk: plan.disk,
    cdrom:
      t.source.kind === 'empty' && t.source.iso ? { pool: t.source.iso.pool, volume: t.source.iso.volume } : undefined,
    seed: plan.seed ?? undefined,
    network: t.network,
    tag: { createdAt: plan.createdAt, hostId: plan.hostId, group: plan.group ?? undefined },
  });
}

const DEFINE =
  'f=$(mktemp) || exit 1; printf %s "$2" > "$f"; virsh -c "$1" define --file "$f"; rc=$?; rm -f "$f"; exit $rc';

function virsh(uri: string, ...args: string[]): string[] {
  return ['virsh', '-c', uri, ...args];
}

async function checkHost(ctx: StepContext, uri: string, plan: CreatePlan): Promise<void> {
  const t = plan.spec.template;
  const base = t.source.kind === 'empty' ? undefined : t.source.base;
  const r = await ctx.run(probeArgv({ uri, mode: 'capacity', pool: plan.disk.pool, base }), { quiet: true });
  const probe = parseProbe(r.output);
  const policy = plan.spec.placement.mode === 'auto' ? plan.spec.placement.policy : placementPolicySchema.parse({});
  const result = rankHosts(
    { vcpus: t.vcpus, memoryMiB: t.memoryMiB, diskMiB: t.diskMiB, pool: plan.disk.pool, base, name: plan.spec.name },
    policy,
    [
      {
        hostId: plan.hostId,
        hostName: plan.hostId,
        capacity: capacityOf(probe, plan.disk.pool),
        error: probe.capacity.cpus > 0 ? null : `the host did not describe itself: ${probe.warnings.join('; ')}`,
        hasBase: base ? probe.volumes.some((v) => v.pool === base.pool && v.name === base.volume) : null,
      },
    ],
  );
  const c = result.candidates[0];
  for (const reason of c?.reasons ?? []) ctx.note(reason);
  if (!c?.eligible) throw new StepError(`this host cannot take the VM: ${(c?.reasons ?? []).join('; ')}`);
  for (const vol of [plan.disk, plan.seed]) {
    if (!vol) continue;
    const exists = await ctx.run(virsh(uri, 'vol-key', '--pool', vol.pool, '--vol', vol.volume), {
      allowFailure: true,
      quiet: true,
    });
    if (exists.code === 0) throw new StepError(`a volume named '${vol.volume}' already exists in pool '${vol.pool}'`);
  }
  const uuidTaken = await ctx.run(virsh(uri, 'domname', '--domain', plan.uuid), { allowFailure: true, quiet: true });
  if (uuidTaken.code === 0) throw new StepError(`a domain with UUID ${plan.uuid} already exists on this host`);
}

function createDisk(uri: string, plan: CreatePlan): string[] {
  const t = plan.spec.template;
  const { pool, volume, format } = plan.disk;
  const bytes = String(t.diskMiB * MIB);
  if (t.source.kind === 'copy' && plan.base) {
    return virsh(uri, 'vol-clone', '--pool', plan.base.pool, '--vol', plan.base.volume, '--newname', volume);
  }
  const create = virsh(uri, 'vol-create-as', '--pool', pool, '--name', volume, '--capacity', bytes, '--format', format);
  if (t.source.kind === 'overlay' && plan.base) {
    return [...create, '--backing-vol', plan.base.path, '--backing-vol-format', plan.base.format];
  }
  return create;
}

function steps(plan: CreatePlan, deps: CreateDeps): StepDef[] {
  const uri = deps.uriOf(plan.hostId);
  const t = plan.spec.template;
  const { pool, volume } = plan.disk;
  const deleteVolume = (v: { pool: string; volume: string }) => async (ctx: StepContext) =>
    void (await ctx.run(virsh(uri, 'vol-delete', '--pool', v.pool, '--vol', v.volume), { timeoutMs: 600_000 }));
  const seed = plan.seed;
  const out: StepDef[] = [
    { name: 'check the host', run: (ctx) => checkHost(ctx, uri, plan) },
    {
      name: t.source.kind === 'copy' ? 'copy the base volume' : 'create the disk',
      run: async (ctx) => void (await ctx.run(createDisk(uri, plan), { timeoutMs: 3_600_000 })),
      undo: { name: 'delete the disk', run: deleteVolume(plan.disk) },
    },
  ];
  if (t.source.kind === 'copy' && plan.base && t.diskMiB * MIB > plan.base.capacityBytes) {
    out.push({
      name: 'grow the disk',
      run: async (ctx) =>
        void (await ctx.run(
          virsh(uri, 'vol-resize', '--pool', pool, '--vol', volume, '--capacity', String(t.diskMiB * MIB)),
        )),
    });
  }
  if (seed && t.cloudInit) {
    const ci = t.cloudInit;
    out.push(
      {
        name: 'build the cloud-init seed ISO',
        run: (ctx) =>
          buildSeedIso(ctx, plan.uuid, seedFiles(ci, { name: plan.spec.name, uuid: plan.uuid }), ci.userData),
        undo: {
          name: 'remove the seed scratch directory',
          run: async (ctx) => void (await ctx.run(['rm', '-rf', seedDir(plan.uuid)])),
        },
      },
      {
        name: 'upload the seed ISO',
        run: (ctx) => uploadSeedIso(ctx, uri, seed.pool, seed.volume, plan.uuid),
        undo: { name: 'delete the seed ISO', run: deleteVolume(seed) },
      },
    );
  }
  out.push({
    name: 'define the domain',
    run: async (ctx) => void (await ctx.run(['sh', '-c', DEFINE, 'sh', uri, planXml(plan)])),
    undo: {
      name: 'undefine the domain',
      run: async (ctx) => void (await ctx.run(virsh(uri, 'undefine', '--domain', plan.uuid))),
    },
  });
  if (t.autostart) {
    out.push({
      name: 'set autostart',
      run: async (ctx) => void (await ctx.run(virsh(uri, 'autostart', '--domain', plan.uuid))),
      undo: {
        name: 'autostart off',
        run: async (ctx) => void (await ctx.run(virsh(uri, 'autostart', '--domain', plan.uuid, '--disable'))),
      },
    });
  }
  if (t.start) {
    out.push(
      {
        name: 'start',
        run: async (ctx) => void (await ctx.run(virsh(uri, 'start', '--domain', plan.uuid))),
        undo: {
          name: 'force off',
          run: async (ctx) => void (await ctx.run(virsh(uri, 'destroy', '--domain', plan.uuid))),
        },
      },
      { name: 'wait until running', run: (ctx) => waitRunning(ctx, plan, deps) },
    );
  }
  return out;
}

async function waitRunning(ctx: StepContext, plan: CreatePlan, deps: CreateDeps): Promise<void> {
  const timeoutMs = deps.runningTimeoutMs ?? 60_000;
  const pollMs = deps.pollMs ?? 1000;
  const start = ctx.now();
  let last: VmState | null = null;
  for (let i = 0; i < Math.ceil(timeoutMs / pollMs) + 2; i++) {
    last = await deps.vmState(plan.hostId, plan.uuid);
    if (last === 'running') {
      ctx.note(`the collector sees it running after ${Math.round((ctx.now() - start) / 100) / 10} s`);
      return;
    }
    if (ctx.now() - start >= timeoutMs) break;
    await ctx.sleep(pollMs);
  }
  throw new StepError(
    `the collector did not see the VM running within ${Math.round(timeoutMs / 1000)} s (last seen: ${last ?? 'not listed'})`,
  );
}

/** The workflow of `deploy.create` tasks (throws for a task without a plan). */
export function createWorkflow(deps: CreateDeps): WorkflowFactory {
  return (task: TaskSpec) => {
    const plan = task.params.plan as CreatePlan | undefined;
    if (task.kind !== CREATE_KIND || !plan || !task.hostId) throw new Error(`not a create task: ${task.kind}`);
    return steps(plan, deps);
  };
}
