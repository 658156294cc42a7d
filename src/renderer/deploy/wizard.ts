// The create-VM wizard's state and its pure rules: the draft the six steps fill in, the spec it
// becomes for deploy.validate / previewXml / create, the checks each step runs before "Next"
// (against what the chosen host offers), and which step a server-side field error belongs to.
import { cloudInitSchema, vmNameSchema } from '../../shared/contract/deploy-schemas';
import type { VmSpecInput, VmTemplateInput } from '../../shared/contract/deploy-schemas';
import type { HostDeployOptions, PlacementStrategy, SourceKind, VolumeOption } from '../../shared/model/deploy';

export const WIZARD_STEPS = ['placement', 'source', 'size', 'network', 'cloudInit', 'review'] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];

export interface VolumeRef {
  pool: string;
  volume: string;
}

export interface WizardDraft {
  name: string;
  placementMode: 'host' | 'auto';
  hostId: string | null;
  strategy: PlacementStrategy;
  sourceKind: SourceKind;
  base: VolumeRef | null;
  iso: VolumeRef | null;
  pool: string | null;
  vcpus: number;
  memoryMiB: number;
  diskMiB: number;
  networkKind: 'none' | 'network' | 'bridge';
  networkName: string | null;
  cloudInit: boolean;
  hostname: string;
  user: string;
  /** One public key per line. */
  sshKeys: string;
  userData: string;
  virtType: 'kvm' | 'qemu';
  autostart: boolean;
  start: boolean;
}

export function newDraft(): WizardDraft {
  return {
    name: '',
    placementMode: 'host',
    hostId: null,
    strategy: 'bestFit',
    sourceKind: 'overlay',
    base: null,
    iso: null,
    pool: null,
    vcpus: 1,
    memoryMiB: 1024,
    diskMiB: 10240,
    networkKind: 'none',
    networkName: null,
    cloudInit: false,
    hostname: '',
    user: '',
    sshKeys: '',
    userData: '',
    virtType: 'kvm',
    autostart: false,
    start: true,
  };
}

const lines = (s: string) =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');

function cloudInitOf(d: WizardDraft): VmTemplateInput['cloudInit'] {
  if (!d.cloudInit) return undefined;
  return {
    ...(d.hostname.trim() ? { hostname: d.hostname.trim() } : {}),
    ...(d.user.trim() ? { user: d.user.trim() } : {}),
    sshKeys: lines(d.sshKeys),
    ...(d.userData.trim() ? { userData: d.userData } : {}),
  };
}

/** What a group repeats: everything but the name and the placement. */
export function templateOf(d: WizardDraft): VmTemplateInput {
  const ref = (r: VolumeRef | null) => r ?? { pool: '', volume: '' };
  const source: VmTemplateInput['source'] =
    d.sourceKind === 'empty'
      ? { kind: 'empty', ...(d.iso ? { iso: d.iso } : {}) }
      : { kind: d.sourceKind, base: ref(d.base) };
  const network: VmTemplateInput['network'] =
    d.networkKind === 'none' ? { kind: 'none' } : { kind: d.networkKind, name: d.networkName ?? '' };
  const cloudInit = cloudInitOf(d);
  return {
    source,
    pool: d.pool ?? '',
    vcpus: d.vcpus,
    memoryMiB: d.memoryMiB,
    diskMiB: d.diskMiB,
    network,
    ...(cloudInit ? { cloudInit } : {}),
    virtType: d.virtType,
    autostart: d.autostart,
    start: d.start,
  };
}

export function specOf(d: WizardDraft): VmSpecInput {
  return {
    name: d.name,
    placement:
      d.placementMode === 'auto'
        ? { mode: 'auto', policy: { strategy: d.strategy } }
        : { mode: 'host', hostId: d.hostId ?? '' },
    template: templateOf(d),
  };
}

/** A problem found before asking the core; `key` is an i18n key under `deploy.check`. */
export interface Problem {
  field: string;
  level: 'error' | 'warning';
  key: string;
  params?: Record<string, string | number>;
}

const MiB = 1024 * 1024;
const err = (field: string, key: string, params?: Problem['params']): Problem => ({
  field,
  level: 'error',
  key,
  ...(params ? { params } : {}),
});
const warn = (field: string, key: string, params?: Problem['params']): Problem => ({
  ...err(field, key, params),
  level: 'warning',
});

/** Volumes a VM can boot from as a base (not ISOs), and the ISOs for an empty disk. */
export function baseVolumes(host: HostDeployOptions | null): VolumeOption[] {
  return (host?.volumes ?? []).filter((v) => !isIso(v));
}
export function isoVolumes(host: HostDeployOptions | null): VolumeOption[] {
  return (host?.volumes ?? []).filter(isIso);
}
function isIso(v: VolumeOption): boolean {
  return v.format === 'iso' || v.name.toLowerCase().endsWith('.iso');
}

/**
 * The checks of one step against the host the VM goes to (the chosen one, or the one automatic
 * placement ranked first). Errors block "Next"; warnings are shown only.
 */
export function checkStep(step: WizardStep, d: WizardDraft, host: HostDeployOptions | null): Problem[] {
  const out: Problem[] = [];
  const cap = host?.capacity ?? null;
  if (step === 'placement') {
    const name = vmNameSchema.safeParse(d.name);
    if (!name.success) out.push(err('name', 'nameInvalid', { reason: name.error.issues[0]?.message ?? '' }));
    else if (cap?.domainNames.includes(d.name)) out.push(err('name', 'nameTaken', { host: host?.hostName ?? '' }));
    if (d.placementMode === 'host' && !d.hostId) out.push(err('hostId', 'hostRequired'));
    if (host && !host.ok) out.push(err('hostId', 'hostUnavailable', { reason: host.error ?? '' }));
  }
  if (step === 'source') {
    if (d.sourceKind !== 'empty' && !d.base) out.push(err('base', 'baseRequired'));
    if (!d.pool) out.push(err('pool', 'poolRequired'));
    const pool = host?.pools.find((p) => p.name === d.pool);
    if (d.pool && host && !pool) out.push(err('pool', 'poolMissing', { pool: d.pool }));
    if (pool && pool.state !== 'running') out.push(err('pool', 'poolInactive', { pool: pool.name, state: pool.state }));
    if (d.sourceKind === 'copy' && d.base && d.pool && d.base.pool !== d.pool)
      out.push(err('pool', 'copySamePool', { pool: d.base.pool }));
  }
  if (step === 'size') {
    if (!Number.isInteger(d.vcpus) || d.vcpus < 1) out.push(err('vcpus', 'vcpusMin'));
    else if (cap && d.vcpus > cap.cpus) out.push(err('vcpus', 'vcpusOverCpus', { cpus: cap.cpus }));
    if (!Number.isInteger(d.memoryMiB) || d.memoryMiB < 32) out.push(err('memoryMiB', 'memoryMin'));
    else if (cap && d.memoryMiB * MiB > cap.freeMemoryBytes)
      out.push(err('memoryMiB', 'memoryOverFree', { free: Math.floor(cap.freeMemoryBytes / MiB) }));
    if (!Number.isInteger(d.diskMiB) || d.diskMiB < 1) out.push(err('diskMiB', 'diskMin'));
    else {
      const base = host?.volumes.find((v) => v.pool === d.base?.pool && v.name === d.base.volume);
      if (d.sourceKind !== 'empty' && base && d.diskMiB * MiB < base.capacityBytes)
        out.push(err('diskMiB', 'diskUnderBase', { min: Math.ceil(base.capacityBytes / MiB) }));
      const pool = host?.pools.find((p) => p.name === d.pool);
      if (pool && d.diskMiB * MiB > pool.availableBytes) {
        const params = { free: Math.floor(pool.availableBytes / MiB), pool: pool.name };
        // an overlay is thin: it only grows as the guest writes
        out.push(
          d.sourceKind === 'overlay'
            ? warn('diskMiB', 'diskOverPoolThin', params)
            : err('diskMiB', 'diskOverPool', params),
        );
      }
    }
  }
  if (step === 'network' && d.networkKind !== 'none' && !d.networkName)
    out.push(err('networkName', d.networkKind === 'bridge' ? 'bridgeRequired' : 'networkRequired'));
  if (step === 'cloudInit' && d.cloudInit) {
    if (host && !host.seedTool) out.push(err('cloudInit', 'noSeedTool', { reason: host.seedToolMissing ?? '' }));
    const parsed = cloudInitSchema.safeParse(cloudInitOf(d));
    if (!parsed.success)
      for (const issue of parsed.error.issues)
        out.push(err(String(issue.path[0] ?? 'cloudInit'), 'cloudInitInvalid', { reason: issue.message }));
  }
  return out;
}

/** The step a server-side field error (a dotted path into the spec) belongs to. */
export function stepOfField(field: string): WizardStep {
  const [head, sub] = field.split('.');
  if (head === 'name' || head === 'placement') return 'placement';
  if (head !== 'template') return 'review';
  if (sub === 'source' || sub === 'pool') return 'source';
  if (sub === 'vcpus' || sub === 'memoryMiB' || sub === 'diskMiB' || sub === 'virtType') return 'size';
  if (sub === 'network') return 'network';
  if (sub === 'cloudInit') return 'cloudInit';
  return 'review';
}

/** The problem to show under a field (errors before warnings), if any. */
export function problemFor(problems: readonly Problem[], field: string): Problem | null {
  const mine = problems.filter((p) => p.field === field);
  return mine.find((p) => p.level === 'error') ?? mine[0] ?? null;
}
