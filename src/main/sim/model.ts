// The simulated fleet's state: hypervisors with CPUs, memory, NICs and storage pools, and VMs
// with libvirt's state codes and monotonically growing counters. Built deterministically from a seed.
import { hash32, pick, unit, uuidFrom } from './rng';

/** virDomainState values (libvirt-domain.h). */
export const ST = { running: 1, blocked: 2, paused: 3, shutdown: 4, shutoff: 5, crashed: 6 } as const;

/** What a VM does, fixed at creation (incidents switch some on later). */
export interface VmProfile {
  /** Mean busy fraction of its vCPUs at the daily peak. */
  cpu: number;
  /** Network bytes/s at the daily peak (rx; tx is a share of it). */
  net: number;
  /** Disk bytes/s at the daily peak (read + write). */
  disk: number;
  /** Fraction of its memory the guest uses. */
  mem: number;
  /** Guest memory use grows steadily since boot. */
  leak: boolean;
  /** A NIC that moves ~100 MB/s. */
  busyNic: boolean;
  /** vCPUs pegged at ≥ 95 %. */
  pegged: boolean;
  /** vCPUs wait to be scheduled a quarter of the time (vcpu.N.delay). */
  steal: boolean;
}

export interface VmCounters {
  cpuNs: number;
  userNs: number;
  sysNs: number;
  vcpuNs: number[];
  delayNs: number[];
  rxB: number;
  rxP: number;
  txB: number;
  txP: number;
  rdB: number;
  rdR: number;
  wrB: number;
  wrR: number;
  flR: number;
  majFault: number;
  minFault: number;
}

export interface SimVm {
  name: string;
  uuid: string;
  vcpus: number;
  maxMemKiB: number;
  /** The guest runs a balloon driver, so domstats has balloon.unused/available/usable. */
  guestBalloon: boolean;
  state: number;
  reason: number;
  domId: number | null;
  autostart: boolean;
  persistent: boolean;
  profile: VmProfile;
  c: VmCounters;
  /** Epoch ms of the last boot (the memory leak grows from here). */
  bootMs: number;
  /** A graceful shutdown in progress ends at this time (state 4 until then). */
  shutdownAtMs: number | null;
  nic: string;
  mac: string;
  diskPath: string;
  capacity: number;
  allocation: number;
}

export interface SimPool {
  name: string;
  uuid: string;
  capacity: number;
  allocation: number;
}

export interface NicCounters {
  name: string;
  rxB: number;
  rxP: number;
  txB: number;
  txP: number;
}

export interface SimHost {
  index: number;
  name: string;
  seed: number;
  cpuModel: string;
  cpus: number;
  mhz: number;
  sockets: number;
  cores: number;
  threads: number;
  numa: number;
  memKiB: number;
  /** Epoch ms the host booted (/proc/uptime counts from here). */
  bootMs: number;
  vms: SimVm[];
  nextDomId: number;
  /** /proc/stat jiffies (USER_HZ = 100), kept as floats, printed rounded. */
  jiffies: { user: number; nice: number; system: number; idle: number; iowait: number; irq: number; softirq: number };
  idleSec: number;
  ctxt: number;
  processes: number;
  nics: NicCounters[];
  pools: SimPool[];
  /** Epoch ms up to which the counters have been advanced. */
  lastMs: number;
  /** Set by incidents: virsh fails as with libvirtd stopped. */
  libvirtdDown: boolean;
  /** Set by incidents: the host's SSH port refuses connections. */
  unreachable: boolean;
}

const ROLES = ['web', 'api', 'db', 'cache', 'worker', 'queue', 'build', 'search', 'mail', 'proxy'];
const GiB = 1024 * 1024; // in KiB

function vmName(hostIndex: number, i: number): string {
  const role = ROLES[i % ROLES.length] ?? 'vm';
  return `${role}-${String(hostIndex + 1).padStart(2, '0')}${String(Math.floor(i / ROLES.length) + 1).padStart(2, '0')}`;
}

function mac(...parts: (string | number)[]): string {
  const h = hash32(...parts, 'mac');
  const b = [h & 0xff, (h >>> 8) & 0xff, (h >>> 16) & 0xff].map((x) => x.toString(16).padStart(2, '0'));
  return `52:54:00:${b.join(':')}`;
}

/** A new running VM with counters as after `ageSec` seconds of moderate use. */
export function createVm(seed: number, host: SimHost, name: string, nowMs: number, ageSec?: number): SimVm {
  const k = [seed, host.index, name];
  const vcpus = [1, 2, 2, 4, 4, 8][pick(0, 5, ...k, 'vcpus')] ?? 2;
  const maxMemKiB = ([1, 2, 4, 4, 8, 16][pick(0, 5, ...k, 'mem')] ?? 4) * GiB;
  const age = ageSec ?? pick(3600, 5 * 86400, ...k, 'age');
  const cpu = 0.04 + 0.4 * unit(...k, 'cpu') ** 2;
  const busy = cpu * 0.5 * age;
  const cpuNs = busy * vcpus * 1e9;
  const net = 20_000 + 2_000_000 * unit(...k, 'net') ** 3;
  const disk = 10_000 + 3_000_000 * unit(...k, 'disk') ** 3;
  const dev = host.vms.length;
  return {
    name,
    uuid: uuidFrom(...k),
    vcpus,
    maxMemKiB,
    guestBalloon: unit(...k, 'balloon') < 0.7,
    state: ST.running,
    reason: 1, // booted
    domId: host.nextDomId++,
    autostart: unit(...k, 'autostart') < 0.5,
    persistent: true,
    profile: {
      cpu,
      net,
      disk,
      mem: 0.25 + 0.5 * unit(...k, 'memuse'),
      leak: false,
      busyNic: false,
      pegged: false,
      steal: false,
    },
    c: {
      cpuNs,
      userNs: cpuNs * 0.82,
      sysNs: cpuNs * 0.18,
      vcpuNs: Array.from({ length: vcpus }, () => (cpuNs * 0.9) / vcpus),
      delayNs: Array.from({ length: vcpus }, () => (cpuNs * 0.01) / vcpus),
      rxB: net * 0.5 * age,
      rxP: (net * 0.5 * age) / 900,
      txB: net * 0.2 * age,
      txP: (net * 0.2 * age) / 600,
      rdB: disk * 0.3 * age,
      rdR: (disk * 0.3 * age) / 32768,
      wrB: disk * 0.2 * age,
      wrR: (disk * 0.2 * age) / 16384,
      flR: (disk * 0.2 * age) / 262144,
      majFault: pick(100, 5000, ...k, 'majf'),
      minFault: pick(100_000, 9_000_000, ...k, 'minf'),
    },
    bootMs: nowMs - age * 1000,
    shutdownAtMs: null,
    nic: `vnet${dev}`,
    mac: mac(...k),
    diskPath: `/var/lib/libvirt/images/${name.replace(/[^A-Za-z0-9._-]/g, '_')}.qcow2`,
    capacity: ([20, 40, 80, 100][pick(0, 3, ...k, 'disk')] ?? 40) * 2 ** 30,
    allocation: pick(2, 18, ...k, 'alloc') * 2 ** 30,
  };
}

/** A hypervisor with `vmCount` running VMs, deterministic for (seed, index). */
export function createHost(seed: number, index: number, vmCount: number, nowMs: number): SimHost {
  const k = [seed, index];
  const sockets = 2;
  const cores = [8, 12, 16, 24][pick(0, 3, ...k, 'cores')] ?? 12;
  const threads = 2;
  const uptimeSec = pick(2 * 86400, 9 * 86400, ...k, 'uptime');
  const cpus = sockets * cores * threads;
  const host: SimHost = {
    index,
    name: `sim-hv${String(index + 1).padStart(3, '0')}`,
    seed,
    cpuModel: 'x86_64',
    cpus,
    mhz: [2100, 2300, 2600, 2900][pick(0, 3, ...k, 'mhz')] ?? 2300,
    sockets,
    cores,
    threads,
    numa: sockets,
    memKiB: ([256, 384, 512, 768][pick(0, 3, ...k, 'mem')] ?? 384) * GiB - pick(0, 400_000, ...k, 'memres'),
    bootMs: nowMs - uptimeSec * 1000,
    vms: [],
    nextDomId: 1,
    jiffies: {
      user: uptimeSec * cpus * 100 * 0.22,
      nice: uptimeSec * 3,
      system: uptimeSec * cpus * 100 * 0.04,
      idle: uptimeSec * cpus * 100 * 0.72,
      iowait: uptimeSec * cpus * 100 * 0.01,
      irq: 0,
      softirq: uptimeSec * cpus * 100 * 0.005,
    },
    idleSec: uptimeSec * cpus * 0.72,
    ctxt: uptimeSec * 40_000,
    processes: pick(200_000, 900_000, ...k, 'procs'),
    nics: [
      { name: 'lo', rxB: uptimeSec * 9000, rxP: uptimeSec * 40, txB: uptimeSec * 9000, txP: uptimeSec * 40 },
      { name: 'eno1', rxB: uptimeSec * 4e6, rxP: uptimeSec * 5000, txB: uptimeSec * 2e6, txP: uptimeSec * 3500 },
      { name: 'eno2', rxB: 0, rxP: 0, txB: 0, txP: 0 },
      { name: 'virbr0', rxB: uptimeSec * 100, rxP: uptimeSec, txB: uptimeSec * 120, txP: uptimeSec },
    ],
    pools: [
      {
        name: 'default',
        uuid: uuidFrom(...k, 'pool-default'),
        capacity: 1_967_317_901_312,
        allocation: pick(300, 1200, ...k, 'poolalloc') * 2 ** 30,
      },
      { name: 'iso', uuid: uuidFrom(...k, 'pool-iso'), capacity: 105_089_261_568, allocation: 21_474_836_480 },
    ],
    lastMs: nowMs,
    libvirtdDown: false,
    unreachable: false,
  };
  for (let i = 0; i < vmCount; i++) host.vms.push(createVm(seed, host, vmName(index, i), nowMs));
  return host;
}

/** A domain by id, name or UUID, in virsh's order of trying. */
export function findVm(host: SimHost, key: string): SimVm | undefined {
  if (/^\d+$/.test(key)) {
    const byId = host.vms.find((v) => v.domId === Number(key));
    if (byId) return byId;
  }
  return host.vms.find((v) => v.name === key) ?? host.vms.find((v) => v.uuid === key.toLowerCase());
}

export function isActive(vm: SimVm): boolean {
  return vm.state !== ST.shutoff;
}
