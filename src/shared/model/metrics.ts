// Figures the collector derives each cycle: rates from counter deltas, never negative, null
// where they cannot be known yet (first sample, counter reset, not reported by the host).
import type { VmState } from './host';

export interface NicFigures {
  name: string;
  rxBps: number | null;
  txBps: number | null;
  rxPps: number | null;
  txPps: number | null;
}

export interface DiskFigures {
  name: string;
  readBps: number | null;
  writeBps: number | null;
  readIops: number | null;
  writeIops: number | null;
  capacityBytes: number | null;
  allocationBytes: number | null;
}

export interface VmFigures {
  uuid: string | null;
  name: string;
  state: VmState;
  /** libvirt's reason for the state, e.g. 'ioerror' for a paused VM (usually a full disk). */
  reason: string;
  /** libvirt starts it with the host (`virsh list --autostart`); null: not read yet. */
  autostart: boolean | null;
  vcpus: number | null;
  maxMemKiB: number | null;
  memKiB: number | null;
  /** 100·Δcpu.time / (Δt · vcpus · 1e9): 100 means every vCPU busy. */
  cpuPct: number | null;
  /** The same CPU time over all host CPUs. */
  cpuHostPct: number | null;
  /** Time vCPUs were runnable but not scheduled (vcpu.N.delay): the sign of an overcommitted host. */
  stealPct: number | null;
  memUsedKiB: number | null;
  memPct: number | null;
  /** 'guest': (current − unused) reported by the balloon driver; 'rss': QEMU's resident memory. */
  memSource: 'guest' | 'rss' | null;
  netRxBps: number | null;
  netTxBps: number | null;
  netRxPps: number | null;
  netTxPps: number | null;
  diskReadBps: number | null;
  diskWriteBps: number | null;
  diskReadIops: number | null;
  diskWriteIops: number | null;
  swapInKiBps: number | null;
  swapOutKiBps: number | null;
  nics: NicFigures[];
  disks: DiskFigures[];
}

export interface PoolFigures {
  name: string;
  state: string | null;
  capacityBytes: number | null;
  allocationBytes: number | null;
  availableBytes: number | null;
  /** allocation / capacity · 100 */
  usedPct: number | null;
}

export interface HostFigures {
  cpuPct: number | null;
  /** Host-level steal (when the hypervisor itself is a VM). */
  stealPct: number | null;
  cpus: number | null;
  load1: number | null;
  load5: number | null;
  load15: number | null;
  memTotalKiB: number | null;
  memUsedKiB: number | null;
  memAvailableKiB: number | null;
  memPct: number | null;
  uptimeSec: number | null;
  nics: NicFigures[];
  vmCounts: Record<string, number>;
  pools: PoolFigures[];
  libvirtVersion: string | null;
  cpuModel: string | null;
}

/** One host's cycle: what every subscriber (store, warn engine, UI) receives. */
export interface HostSnapshot {
  hostId: string;
  /** Epoch ms when the cycle's answer arrived. */
  ts: number;
  host: HostFigures | null;
  vms: VmFigures[];
  /** Lines the parsers could not read: shown on the host, never a crash. */
  warnings: string[];
  /** Wall time of the round trip, ms. */
  cycleMs: number;
}
