// Automatic placement, pure: every candidate host's capacity (as its probe answered) against
// what the VM needs, with the policy's limits. A host is excluded with every reason that
// applies; eligible hosts are ranked by the share of the host left free after placing the VM
// (mean of memory, vCPU slots and pool space): best fit takes the smallest (packs hosts),
// least loaded the largest (spreads VMs). Ties go to the host name, then the id.
import type { PlacementPolicy } from '../../shared/contract/deploy-schemas';
import type { HostCapacity, PlacementCandidate, PlacementResult } from '../../shared/model/deploy';
import { formatBytes } from '../../shared/format/units';

export const MIB = 1024 * 1024;

export interface PlacementNeed {
  vcpus: number;
  memoryMiB: number;
  diskMiB: number;
  pool?: string | undefined;
  base?: { pool: string; volume: string } | undefined;
  name?: string | undefined;
}

/** What is already on its way to a host (VMs placed moments ago whose tasks have not run yet). */
export interface Pending {
  vcpus: number;
  memoryBytes: number;
  diskBytes: number;
}

export interface HostFacts {
  hostId: string;
  hostName: string;
  /** Null when the host could not be asked; `error` says why. */
  capacity: HostCapacity | null;
  error: string | null;
  /** Whether the base volume exists there (null: not asked). */
  hasBase: boolean | null;
  pending?: Pending;
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

function evaluate(need: PlacementNeed, policy: PlacementPolicy, h: HostFacts): PlacementCandidate {
  const out: PlacementCandidate = {
    hostId: h.hostId,
    hostName: h.hostName,
    eligible: false,
    rank: null,
    score: null,
    reasons: [],
    capacity: h.capacity,
  };
  const c = h.capacity;
  if (!c) {
    out.reasons.push(h.error ?? 'the host did not answer');
    return out;
  }
  const limits = policy.perHost[h.hostId] ?? {};
  const ratio = limits.cpuOvercommit ?? policy.cpuOvercommit;
  const reserve = (limits.reserveMemoryMiB ?? policy.reserveMemoryMiB) * MIB;
  const pending = h.pending ?? { vcpus: 0, memoryBytes: 0, diskBytes: 0 };
  const memNeed = need.memoryMiB * MIB;
  const diskNeed = need.diskMiB * MIB;

  const memLeft = c.freeMemoryBytes - pending.memoryBytes - reserve - memNeed;
  if (memLeft < 0) {
    const reserved = reserve > 0 ? ` after keeping ${formatBytes(reserve)} free` : '';
    const pend = pending.memoryBytes > 0 ? ` (${formatBytes(pending.memoryBytes)} promised to VMs on their way)` : '';
    out.reasons.push(
      `memory: needs ${formatBytes(memNeed)}, ${formatBytes(Math.max(0, c.freeMemoryBytes - pending.memoryBytes - reserve))} available${reserved}${pend}`,
    );
  }
  const slots = c.cpus * ratio;
  const committed = c.vcpusCommitted + pending.vcpus;
  const cpuLeft = slots - committed - need.vcpus;
  if (cpuLeft < 0) {
    out.reasons.push(
      `vCPUs: ${committed} committed + ${need.vcpus} requested > ${c.cpus} CPUs × ${ratio} overcommit = ${slots}`,
    );
  }
  let diskShare: number | null = null;
  if (need.pool !== undefined) {
    if (!c.pool) out.reasons.push(`storage pool '${need.pool}' does not exist on this host`);
    else if (c.pool.state !== 'running')
      out.reasons.push(`storage pool '${need.pool}' is ${c.pool.state}, not running`);
    else {
      const diskLeft = c.pool.availableBytes - pending.diskBytes - diskNeed;
      if (diskLeft < 0) {
        out.reasons.push(
          `disk: needs ${formatBytes(diskNeed)} in pool '${need.pool}', ${formatBytes(Math.max(0, c.pool.availableBytes - pending.diskBytes))} free`,
        );
      }
      diskShare = c.pool.capacityBytes > 0 ? Math.max(0, diskLeft) / c.pool.capacityBytes : 0;
    }
  }
  if (need.base && h.hasBase === false) {
    out.reasons.push(`base volume '${need.base.volume}' is not in pool '${need.base.pool}' on this host`);
  }
  if (need.name !== undefined && c.domainNames.includes(need.name)) {
    out.reasons.push(`a VM named '${need.name}' already exists on this host`);
  }
  if (out.reasons.length > 0) return out;

  const memTotal = Math.max(c.memoryBytes, c.freeMemoryBytes, 1);
  const shares = [memLeft / memTotal, slots > 0 ? cpuLeft / slots : 0];
  if (diskShare !== null) shares.push(diskShare);
  out.eligible = true;
  out.score = Math.round((shares.reduce((a, b) => a + b, 0) / shares.length) * 10_000) / 10_000;
  const disk =
    diskShare !== null && c.pool
      ? `, ${formatBytes(c.pool.availableBytes - pending.diskBytes - diskNeed)} in pool '${c.pool.name}'`
      : '';
  out.reasons.push(
    `leaves ${formatBytes(memLeft)} memory, ${Math.floor(cpuLeft * 10) / 10} of ${slots} vCPU slots${disk} (${pct(out.score)} free)`,
  );
  return out;
}

export function rankHosts(need: PlacementNeed, policy: PlacementPolicy, hosts: HostFacts[]): PlacementResult {
  const all = hosts.map((h) => evaluate(need, policy, h));
  const sign = policy.strategy === 'bestFit' ? 1 : -1;
  const eligible = all
    .filter((c) => c.eligible)
    .sort(
      (a, b) =>
        sign * ((a.score as number) - (b.score as number)) ||
        a.hostName.localeCompare(b.hostName) ||
        a.hostId.localeCompare(b.hostId),
    );
  eligible.forEach((c, i) => (c.rank = i + 1));
  const excluded = all.filter((c) => !c.eligible);
  const chosen = eligible[0] ?? null;
  const how = policy.strategy === 'bestFit' ? 'best fit: leaves the least room' : 'least loaded: leaves the most room';
  const summary = chosen
    ? `${chosen.hostName}: ${how} of ${eligible.length} eligible host${eligible.length === 1 ? '' : 's'} (${pct(chosen.score as number)} free after placing)` +
      (excluded.length > 0 ? `; ${excluded.length} excluded` : '')
    : hosts.length === 0
      ? 'no candidate host: add a host, or name candidates'
      : `no host can take this VM: ${excluded.map((c) => `${c.hostName}: ${c.reasons.join('; ')}`).join(' | ')}`;
  return {
    strategy: policy.strategy,
    chosenHostId: chosen?.hostId ?? null,
    summary,
    candidates: [...eligible, ...excluded],
  };
}
