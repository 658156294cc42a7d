// Per-VM figures from two consecutive domstats samples of the same domain, and what a cycle
// keeps of a sample for the next one.
import type { DiskFigures, VmFigures } from '../../shared/model/metrics';
import type { DomBlockStats, DomStats } from '../libvirt/parse-domstats';
import type { NicCounters } from './rates';
import { nicRates, pct, rate, sumOrNull } from './rates';

/**
 * What a cycle keeps of a domain until the next one: the counters rates are taken from and
 * /metrics shows, not the whole parsed DomStats. Whatever is kept lives exactly one cycle, so
 * V8 promotes it to the old generation, where it dies: at 10,000 VMs the whole DomStats were
 * ~11 MB a cycle of promoted garbage (heap snapshot of serve), a main driver of its RSS.
 */
export interface VmCounters {
  stateCode: number | null;
  cpuTimeNs: number | null;
  vcpuDelayNs: number | null;
  balloon: { swapInKiB: number | null; swapOutKiB: number | null };
  nets: NicCounters[];
  blocks: Pick<DomBlockStats, 'name' | 'rdBytes' | 'wrBytes' | 'rdReqs' | 'wrReqs' | 'capacity' | 'allocation'>[];
}

export interface Timed<S> {
  stats: S;
  /** Seconds on a clock shared by both samples (the host's uptime). */
  t: number;
}

/** A sample as parsed. */
export type TimedStats = Timed<DomStats>;
/** A sample as kept for the next cycle (countersOf). */
export type TimedCounters = Timed<VmCounters>;

/** The counters of a parsed sample, copied out so the rest of it can die young. */
export function countersOf(s: DomStats): VmCounters {
  return {
    stateCode: s.stateCode,
    cpuTimeNs: s.cpuTimeNs,
    vcpuDelayNs: s.vcpuDelayNs,
    balloon: { swapInKiB: s.balloon.swapInKiB, swapOutKiB: s.balloon.swapOutKiB },
    nets: s.nets.map((n) => ({
      name: n.name,
      rxBytes: n.rxBytes,
      txBytes: n.txBytes,
      rxPkts: n.rxPkts,
      txPkts: n.txPkts,
    })),
    blocks: s.blocks.map((b) => ({
      name: b.name,
      rdBytes: b.rdBytes,
      wrBytes: b.wrBytes,
      rdReqs: b.rdReqs,
      wrReqs: b.wrReqs,
      capacity: b.capacity,
      allocation: b.allocation,
    })),
  };
}

function disks(prev: VmCounters | null, cur: DomStats, dt: number): DiskFigures[] {
  return cur.blocks.map((b) => {
    const p = prev?.blocks.find((x) => x.name === b.name);
    return {
      name: b.name,
      readBps: rate(p?.rdBytes, b.rdBytes, dt),
      writeBps: rate(p?.wrBytes, b.wrBytes, dt),
      readIops: rate(p?.rdReqs, b.rdReqs, dt),
      writeIops: rate(p?.wrReqs, b.wrReqs, dt),
      capacityBytes: b.capacity,
      allocationBytes: b.allocation,
    };
  });
}

/** Memory in use: the guest's own view when its balloon driver reports it, else QEMU's RSS. */
function memory(s: DomStats): { usedKiB: number | null; source: VmFigures['memSource'] } {
  const { currentKiB, unusedKiB, rssKiB } = s.balloon;
  if (currentKiB != null && unusedKiB != null) return { usedKiB: Math.max(0, currentKiB - unusedKiB), source: 'guest' };
  if (rssKiB != null) return { usedKiB: rssKiB, source: 'rss' };
  return { usedKiB: null, source: null };
}

export function vmFigures(
  uuid: string | null,
  prev: TimedCounters | null,
  cur: TimedStats,
  hostCpus: number | null,
): VmFigures {
  const s = cur.stats;
  const p = prev?.stats ?? null;
  const dt = prev ? cur.t - prev.t : 0;
  const running = s.state === 'running';
  const vcpus = s.vcpuCurrent ?? s.vcpuMaximum;
  const cpuNsPerSec = running ? rate(p?.cpuTimeNs, s.cpuTimeNs, dt) : null;
  const delayNsPerSec = running ? rate(p?.vcpuDelayNs, s.vcpuDelayNs, dt) : null;
  const nicList = nicRates(p?.nets, s.nets, dt);
  const diskList = disks(p, s, dt);
  const mem = memory(s);
  return {
    uuid,
    name: s.name,
    state: s.state,
    reason: s.reason,
    autostart: null,
    vcpus,
    maxMemKiB: s.balloon.maximumKiB,
    memKiB: s.balloon.currentKiB,
    cpuPct: cpuNsPerSec != null && vcpus ? pct(cpuNsPerSec, vcpus * 1e9) : running ? null : 0,
    cpuHostPct: cpuNsPerSec != null && hostCpus ? pct(cpuNsPerSec, hostCpus * 1e9) : running ? null : 0,
    stealPct: delayNsPerSec != null && vcpus ? pct(delayNsPerSec, vcpus * 1e9) : running ? null : 0,
    memUsedKiB: running ? mem.usedKiB : null,
    memPct: running ? pct(mem.usedKiB, s.balloon.currentKiB) : null,
    memSource: running ? mem.source : null,
    netRxBps: sumOrNull(nicList, 'rxBps'),
    netTxBps: sumOrNull(nicList, 'txBps'),
    netRxPps: sumOrNull(nicList, 'rxPps'),
    netTxPps: sumOrNull(nicList, 'txPps'),
    diskReadBps: sumOrNull(diskList, 'readBps'),
    diskWriteBps: sumOrNull(diskList, 'writeBps'),
    diskReadIops: sumOrNull(diskList, 'readIops'),
    diskWriteIops: sumOrNull(diskList, 'writeIops'),
    swapInKiBps: rate(p?.balloon.swapInKiB, s.balloon.swapInKiB, dt),
    swapOutKiBps: rate(p?.balloon.swapOutKiB, s.balloon.swapOutKiB, dt),
    nics: nicList,
    disks: diskList,
  };
}
