// Per-VM figures from two consecutive domstats samples of the same domain.
import type { DiskFigures, VmFigures } from '../../shared/model/metrics';
import type { DomStats } from '../libvirt/parse-domstats';
import { nicRates, pct, rate, sumOrNull } from './rates';

export interface TimedStats {
  stats: DomStats;
  /** Seconds on a clock shared by both samples (the host's uptime). */
  t: number;
}

function disks(prev: DomStats | null, cur: DomStats, dt: number): DiskFigures[] {
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
  prev: TimedStats | null,
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
