// Creating VMs (the create-VM wizard) and groups of identical VMs (scale out / in), as every
// layer sees them: what a host offers, how automatic placement ranked the hosts, the request.
import type { PlacementPolicy, VmTemplate } from '../contract/deploy-schemas';
import type { VmState } from './host';
import type { Task } from './task';

/** Tools that can build a cloud-init NoCloud seed ISO on a host, in order of preference. */
export const SEED_TOOLS = ['cloud-localds', 'genisoimage', 'xorriso'] as const;
export type SeedTool = (typeof SEED_TOOLS)[number];

export const PLACEMENT_STRATEGIES = ['bestFit', 'leastLoaded'] as const;
export type PlacementStrategy = (typeof PLACEMENT_STRATEGIES)[number];

/** Where a VM's disk comes from. */
export const SOURCE_KINDS = ['overlay', 'copy', 'empty'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export interface StoragePoolOption {
  name: string;
  /** `running` pools can take volumes; others are listed so the wizard can say why not. */
  state: string;
  /** `dir`, `logical`, `netfs` … as libvirt says. */
  type: string | null;
  /** The pool's target path (dir pools), where new volumes are created. */
  path: string | null;
  capacityBytes: number;
  allocationBytes: number;
  availableBytes: number;
}

export interface VolumeOption {
  pool: string;
  name: string;
  path: string;
  /** `qcow2`, `raw`, `iso` … (null when libvirt does not say). */
  format: string | null;
  /** Virtual size. */
  capacityBytes: number;
  allocationBytes: number;
}

export interface NetworkOption {
  name: string;
  active: boolean;
  /** The Linux bridge the network uses, when libvirt says. */
  bridge: string | null;
}

/** Everything the wizard lists for one host. */
export interface HostDeployOptions {
  hostId: string;
  hostName: string;
  /** False when the host could not be asked (unreachable, demo host …): `error` says why. */
  ok: boolean;
  error: string | null;
  pools: StoragePoolOption[];
  /** Volumes of running pools usable as base images or installation ISOs. */
  volumes: VolumeOption[];
  networks: NetworkOption[];
  /** Linux bridges on the host (`/sys/class/net/<name>/bridge`). */
  bridges: string[];
  /** The first seed tool found on the host, or null (then `seedToolMissing` explains). */
  seedTool: SeedTool | null;
  seedToolMissing: string | null;
  /** Whether /dev/kvm exists (else only `virtType: 'qemu'` (TCG) can run). */
  kvm: boolean;
  capacity: HostCapacity | null;
}

/** What placement asks every candidate host. */
export interface HostCapacity {
  cpus: number;
  /** vCPUs of the host's active domains. */
  vcpusCommitted: number;
  memoryBytes: number;
  /** MemAvailable of /proc/meminfo. */
  freeMemoryBytes: number;
  /** Names of the domains defined on the host (for unique names). */
  domainNames: string[];
  /** The target pool (null when the request named none or the host lacks it). */
  pool: { name: string; state: string; capacityBytes: number; availableBytes: number } | null;
}

/** One host in a placement ranking: eligible with a rank, or excluded with the reasons. */
export interface PlacementCandidate {
  hostId: string;
  hostName: string;
  eligible: boolean;
  /** 1 = chosen; null for excluded hosts. */
  rank: number | null;
  /** 0…1, the share of the host left free after placing the VM (mean of memory, vCPU, disk). */
  score: number | null;
  /** Why it was excluded, or what it would have left (for eligible hosts). */
  reasons: string[];
  capacity: HostCapacity | null;
}

export interface PlacementResult {
  strategy: PlacementStrategy;
  /** The host chosen, or null when no host can take the VM. */
  chosenHostId: string | null;
  /** One line: why this host (or why none). */
  summary: string;
  /** Eligible hosts in rank order, then excluded ones. */
  candidates: PlacementCandidate[];
}

/** One field-level problem with a request (`field` is a dotted path into the spec). */
export interface FieldProblem {
  field: string;
  message: string;
}

export interface DeployValidation {
  ok: boolean;
  /** The host the VM would go to (automatic placement resolved), or null. */
  hostId: string | null;
  errors: FieldProblem[];
  /** Not blocking (thin overlay bigger than the free space …). */
  warnings: string[];
  placement: PlacementResult | null;
}

export interface DeployPreview extends DeployValidation {
  /** The domain XML that `define` would be given (disk paths as they will be), or null if invalid. */
  xml: string | null;
  /** The VM's UUID as it will be created (fixed in the XML). */
  uuid: string | null;
  /** The task's planned step names, in order. */
  steps: string[];
}

/** A named group of identical VMs. */
export interface VmGroup {
  id: string;
  name: string;
  template: VmTemplate;
  /** Instances are always placed automatically, with this policy. */
  policy: PlacementPolicy;
  desired: number;
  createdAt: number;
  updatedAt: number;
}

export interface GroupInstance {
  hostId: string;
  hostName: string;
  uuid: string;
  name: string;
  /** As the collector last saw it; `unknown` before it did. */
  state: VmState;
  /** From the domain's VirtDeck metadata; scale-in removes the newest first. */
  createdAt: number;
}

export interface GroupView {
  group: VmGroup;
  instances: GroupInstance[];
  /** Create or delete tasks of this group still queued or running. */
  pendingTaskIds: number[];
  /** Hosts that could not be asked for instances (their instances may be missing from the list). */
  unreachable: { hostId: string; error: string }[];
}

export interface ScaleResult {
  group: VmGroup;
  /** Instances before the scale (plus creates already pending). */
  before: number;
  /** One task per instance created or removed. */
  tasks: Task[];
  created: number;
  removed: number;
  /** Instances that could not be placed or removed, with the reason. */
  problems: string[];
}

/** XML namespace of VirtDeck's element in a domain's `<metadata>`. */
export const DEPLOY_XMLNS = 'https://virtdeck.invalid/xmlns/deploy/1';
