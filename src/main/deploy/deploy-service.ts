// The create-VM wizard's core: what each host offers, automatic placement across candidate
// hosts, validation with field-level errors, the XML preview, and `deploy.create` as a task.
import { randomUUID } from 'node:crypto';
import type { PlacementPolicy, PlacementRequest, VmSpec } from '../../shared/contract/deploy-schemas';
import { placementPolicySchema } from '../../shared/contract/deploy-schemas';
import { RpcError } from '../../shared/contract/errors';
import type {
  DeployPreview,
  DeployValidation,
  FieldProblem,
  HostDeployOptions,
  PlacementResult,
} from '../../shared/model/deploy';
import type { Task } from '../../shared/model/task';
import type { TaskEngine } from '../tasks/task-engine';
import type { HostExec } from '../tasks/workflow';
import { CREATE_KIND, createWorkflow, planXml } from './create-workflow';
import type { CreatePlan } from './create-workflow';
import { capacityOf, parseProbe, probeArgv } from './host-probe';
import type { ProbeResult, ProbeTarget } from './host-probe';
import { MIB, rankHosts } from './placement';
import type { HostFacts, Pending, PlacementNeed } from './placement';
import { NO_SEED_TOOL } from './seed-iso';

export interface DeployHost {
  id: string;
  name: string;
  simulated: boolean;
}

export interface DeployDeps {
  hosts(): DeployHost[];
  exec: HostExec;
  uriOf(hostId: string): string;
  /** Throws (not_found, conflict) unless commands can run on this host. */
  assertCanRun(hostId: string): void;
  engine: TaskEngine;
  now?: () => number;
  /** Per-host probe timeout (default 60 s). */
  probeTimeoutMs?: number;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
/** The field problem an RpcError names (details.fields[0]), else the error against the placement. */
function problemOf(e: unknown): FieldProblem {
  const named = e instanceof RpcError ? (e.details as { fields?: FieldProblem[] } | undefined)?.fields?.[0] : undefined;
  return named ?? { field: 'placement', message: message(e) };
}

/** A volume name for a VM: the name made file-safe plus the UUID's first block (never the raw name). */
export function volumeName(vmName: string, uuid: string, suffix: string): string {
  const safe = vmName
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '')
    .slice(0, 48);
  return `${safe || 'vm'}-${uuid.slice(0, 8)}${suffix}`;
}

const extOf = (format: string) => (format === 'qcow2' ? '.qcow2' : format === 'raw' ? '.img' : `.${format}`);

/** Which spec field a placement reason is about (for field-level errors). */
export function reasonField(reason: string): string {
  if (reason.startsWith('memory:')) return 'template.memoryMiB';
  if (reason.startsWith('vCPUs:')) return 'template.vcpus';
  if (reason.startsWith('disk:')) return 'template.diskMiB';
  if (reason.startsWith('storage pool')) return 'template.pool';
  if (reason.startsWith('base volume')) return 'template.source.base';
  if (reason.startsWith('a VM named')) return 'name';
  return 'placement';
}

export class DeployService {
  private readonly now: () => number;

  constructor(private readonly d: DeployDeps) {
    this.now = d.now ?? Date.now;
  }

  private realHosts(ids?: string[]): DeployHost[] {
    const all = this.d.hosts();
    if (!ids) return all.filter((h) => !h.simulated);
    return ids.map((id) => {
      const h = all.find((x) => x.id === id);
      if (!h)
        throw new RpcError('not_found', `no host with id '${id}'`, {
          fields: [{ field: 'hostIds', message: `no host with id '${id}'` }],
        });
      return h;
    });
  }

  /** Runs the probe on a host: the parsed result, or the reason it could not. */
  private async probe(host: DeployHost, t: Omit<ProbeTarget, 'uri'>): Promise<ProbeResult | { error: string }> {
    try {
      this.d.assertCanRun(host.id);
      const r = await this.d.exec.run(
        host.id,
        probeArgv({ ...t, uri: this.d.uriOf(host.id) }),
        this.d.probeTimeoutMs ?? 60_000,
      );
      const p = parseProbe(r.output);
      if (p.capacity.cpus === 0)
        return { error: `the host did not describe itself: ${p.warnings.join('; ') || r.output.slice(0, 300)}` };
      return p;
    } catch (e) {
      return { error: message(e) };
    }
  }

  async hostOptions(hostIds?: string[]): Promise<HostDeployOptions[]> {
    return Promise.all(
      this.realHosts(hostIds).map(async (h): Promise<HostDeployOptions> => {
        const p = await this.probe(h, { mode: 'all' });
        const base = { hostId: h.id, hostName: h.name };
        if ('error' in p) {
          return {
            ...base,
            ok: false,
            error: p.error,
            pools: [],
            volumes: [],
            networks: [],
            bridges: [],
            seedTool: null,
            seedToolMissing: null,
            kvm: false,
            capacity: null,
          };
        }
        return {
          ...base,
          ok: true,
          error: null,
          pools: p.pools,
          volumes: p.volumes,
          networks: p.networks,
          bridges: p.bridges,
          seedTool: p.seedTool,
          seedToolMissing: p.seedTool ? null : NO_SEED_TOOL,
          kvm: p.kvm,
          capacity: capacityOf(p, undefined),
        };
      }),
    );
  }

  /** What create tasks not yet done will take from each host (so back-to-back placements spread). */
  private pending(): Map<string, Pending> {
    const out = new Map<string, Pending>();
    for (const state of ['queued', 'running'] as const) {
      for (const t of this.d.engine.list({ state, limit: 1000 })) {
        const plan = t.params.plan as CreatePlan | undefined;
        if (t.kind !== CREATE_KIND || !plan || !t.hostId) continue;
        const p = out.get(t.hostId) ?? { vcpus: 0, memoryBytes: 0, diskBytes: 0 };
        p.vcpus += plan.spec.template.vcpus;
        p.memoryBytes += plan.spec.template.memoryMiB * MIB;
        p.diskBytes += plan.spec.template.diskMiB * MIB;
        out.set(t.hostId, p);
      }
    }
    return out;
  }

  async placement(req: PlacementRequest): Promise<PlacementResult> {
    return (await this.rank(req, req.policy)).result;
  }

  private async rank(
    need: PlacementNeed,
    policy: PlacementPolicy,
  ): Promise<{ result: PlacementResult; probes: Map<string, ProbeResult> }> {
    const hosts = this.realHosts(policy.candidates);
    const pending = this.pending();
    const probes = new Map<string, ProbeResult>();
    const facts = await Promise.all(
      hosts.map(async (h): Promise<HostFacts> => {
        const p = await this.probe(h, { mode: 'capacity', pool: need.pool, base: need.base });
        if ('error' in p) return { hostId: h.id, hostName: h.name, capacity: null, error: p.error, hasBase: null };
        probes.set(h.id, p);
        const base = need.base;
        return {
          hostId: h.id,
          hostName: h.name,
          capacity: capacityOf(p, need.pool),
          error: null,
          hasBase: base ? p.volumes.some((v) => v.pool === base.pool && v.name === base.volume) : null,
          pending: pending.get(h.id) ?? { vcpus: 0, memoryBytes: 0, diskBytes: 0 },
        };
      }),
    );
    return { result: rankHosts(need, policy, facts), probes };
  }

  private need(spec: VmSpec): PlacementNeed {
    const t = spec.template;
    return {
      vcpus: t.vcpus,
      memoryMiB: t.memoryMiB,
      diskMiB: t.diskMiB,
      pool: t.pool,
      base: t.source.kind === 'empty' ? undefined : t.source.base,
      name: spec.name,
    };
  }

  async validate(spec: VmSpec): Promise<DeployValidation> {
    const errors: FieldProblem[] = [];
    const warnings: string[] = [];
    const policy = spec.placement.mode === 'auto' ? spec.placement.policy : placementPolicySchema.parse({});
    if (spec.placement.mode === 'host') {
      try {
        this.d.assertCanRun(spec.placement.hostId);
      } catch (e) {
        return {
          ok: false,
          hostId: null,
          errors: [{ field: 'placement.hostId', message: message(e) }],
          warnings,
          placement: null,
        };
      }
    }
    const { result } = await this.rank(
      this.need(spec),
      spec.placement.mode === 'host' ? { ...policy, candidates: [spec.placement.hostId] } : policy,
    );
    if (spec.placement.mode === 'host') {
      for (const r of result.candidates[0]?.eligible ? [] : (result.candidates[0]?.reasons ?? [])) {
        errors.push({ field: reasonField(r), message: r });
      }
    } else if (!result.chosenHostId) {
      errors.push({ field: 'placement', message: result.summary });
      return { ok: false, hostId: null, errors, warnings, placement: result };
    }
    const hostId = spec.placement.mode === 'host' ? spec.placement.hostId : (result.chosenHostId as string);
    const host = this.realHosts([hostId])[0] as DeployHost;
    const full = await this.probe(host, { mode: 'all' });
    if ('error' in full) {
      errors.push({ field: 'placement', message: full.error });
      return { ok: false, hostId, errors, warnings, placement: result };
    }
    const t = spec.template;
    const net = t.network;
    if (net.kind === 'network') {
      const n = full.networks.find((x) => x.name === net.name);
      if (!n)
        errors.push({ field: 'template.network.name', message: `no libvirt network '${net.name}' on ${host.name}` });
      else if (!n.active)
        warnings.push(`network '${net.name}' is not active on ${host.name}: the VM will not start until it is`);
    }
    if (net.kind === 'bridge' && !full.bridges.includes(net.name)) {
      errors.push({ field: 'template.network.name', message: `no bridge '${net.name}' on ${host.name}` });
    }
    if (t.source.kind === 'empty' && t.source.iso) {
      const iso = t.source.iso;
      if (!full.volumes.some((v) => v.pool === iso.pool && v.name === iso.volume)) {
        errors.push({
          field: 'template.source.iso',
          message: `no volume '${iso.volume}' in pool '${iso.pool}' on ${host.name}`,
        });
      }
    }
    if (t.source.kind !== 'empty') {
      const b = t.source.base;
      const base = full.volumes.find((v) => v.pool === b.pool && v.name === b.volume);
      if (base && base.capacityBytes > t.diskMiB * MIB) {
        errors.push({
          field: 'template.diskMiB',
          message: `the disk must be at least the base volume's size (${Math.ceil(base.capacityBytes / MIB)} MiB)`,
        });
      }
    }
    if (t.cloudInit && !full.seedTool) errors.push({ field: 'template.cloudInit', message: NO_SEED_TOOL });
    if (t.virtType === 'kvm' && !full.kvm) {
      errors.push({ field: 'template.virtType', message: `${host.name} has no /dev/kvm: choose qemu (TCG emulation)` });
    }
    const pool = full.pools.find((p) => p.name === t.pool);
    if (t.source.kind === 'overlay' && pool && pool.type !== null && !['dir', 'fs', 'netfs'].includes(pool.type)) {
      warnings.push(`pool '${t.pool}' is of type ${pool.type}: qcow2 overlays need a file-based pool`);
    }
    return { ok: errors.length === 0, hostId, errors, warnings, placement: result };
  }

  /** The plan a create task runs (volume names, the base as this host has it). */
  private async plan(
    spec: VmSpec,
    hostId: string,
    group: CreatePlan['group'],
    uuid = randomUUID(),
  ): Promise<CreatePlan> {
    const t = spec.template;
    let base: CreatePlan['base'] = null;
    if (t.source.kind !== 'empty') {
      const b = t.source.base;
      const host = this.realHosts([hostId])[0] as DeployHost;
      const p = await this.probe(host, { mode: 'capacity', pool: t.pool, base: b });
      if ('error' in p) throw new RpcError('unavailable', `${host.name}: ${p.error}`);
      const v = p.volumes.find((x) => x.pool === b.pool && x.name === b.volume);
      if (!v) {
        const msg = `no volume '${b.volume}' in pool '${b.pool}' on ${host.name}`;
        throw new RpcError('invalid_params', `template.source.base: ${msg}`, {
          fields: [{ field: 'template.source.base', message: msg }],
        });
      }
      base = {
        pool: b.pool,
        volume: b.volume,
        path: v.path,
        format: v.format ?? 'raw',
        capacityBytes: v.capacityBytes,
      };
    }
    const format = t.source.kind === 'copy' && base ? base.format : 'qcow2';
    return {
      spec,
      hostId,
      uuid,
      createdAt: this.now(),
      disk: {
        pool: t.source.kind === 'copy' && base ? base.pool : t.pool,
        volume: volumeName(spec.name, uuid, extOf(format)),
        format,
      },
      base,
      seed: t.cloudInit ? { pool: t.pool, volume: volumeName(spec.name, uuid, '-seed.iso') } : null,
      group,
    };
  }

  async preview(spec: VmSpec): Promise<DeployPreview> {
    const v = await this.validate(spec);
    if (!v.hostId) return { ...v, xml: null, uuid: null, steps: [] };
    try {
      const plan = await this.plan(spec, v.hostId, null);
      const steps = createWorkflow({ uriOf: (id) => this.d.uriOf(id), vmState: () => Promise.resolve(null) })({
        kind: CREATE_KIND,
        hostId: v.hostId,
        target: plan.uuid,
        params: { plan },
      }).map((s) => s.name);
      return { ...v, xml: planXml(plan), uuid: plan.uuid, steps };
    } catch (e) {
      return {
        ...v,
        ok: false,
        errors: [...v.errors, problemOf(e)],
        xml: null,
        uuid: null,
        steps: [],
      };
    }
  }

  /** Places (automatic) or checks the host, then submits the create task. */
  async create(spec: VmSpec, group: CreatePlan['group'] = null): Promise<Task> {
    let hostId: string;
    let placement: string | null = null;
    if (spec.placement.mode === 'host') {
      hostId = spec.placement.hostId;
      this.d.assertCanRun(hostId);
    } else {
      const { result } = await this.rank(this.need(spec), spec.placement.policy);
      if (!result.chosenHostId) throw new RpcError('conflict', result.summary, { placement: result });
      hostId = result.chosenHostId;
      placement = result.summary;
    }
    const plan = await this.plan(spec, hostId, group);
    return this.d.engine.submit({
      kind: CREATE_KIND,
      hostId,
      target: plan.uuid,
      targetName: spec.name,
      params: { plan, placement },
    });
  }
}
