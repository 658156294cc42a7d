// Placement ranking, pure: exclusion with every reason, best fit vs least loaded, per-host
// limits, VMs already on their way, ties.
import { describe, expect, it } from 'vitest';
import { placementPolicySchema } from '../../../../src/shared/contract/deploy-schemas';
import type { PlacementPolicy } from '../../../../src/shared/contract/deploy-schemas';
import type { HostCapacity } from '../../../../src/shared/model/deploy';
import { MIB, rankHosts } from '../../../../src/main/deploy/placement';
import type { HostFacts, PlacementNeed } from '../../../../src/main/deploy/placement';

const GIB = 1024 * MIB;
const policy = (p: Partial<PlacementPolicy> = {}): PlacementPolicy => placementPolicySchema.parse(p);

function cap(c: Partial<HostCapacity> & { poolFreeGiB?: number } = {}): HostCapacity {
  const { poolFreeGiB = 100, ...rest } = c;
  return {
    cpus: 8,
    vcpusCommitted: 0,
    memoryBytes: 32 * GIB,
    freeMemoryBytes: 16 * GIB,
    domainNames: [],
    pool: { name: 'images', state: 'running', capacityBytes: 200 * GIB, availableBytes: poolFreeGiB * GIB },
    ...rest,
  };
}
const host = (id: string, capacity: HostCapacity | null, extra: Partial<HostFacts> = {}): HostFacts => ({
  hostId: id,
  hostName: id,
  capacity,
  error: capacity ? null : 'connection refused',
  hasBase: true,
  ...extra,
});
const need: PlacementNeed = { vcpus: 2, memoryMiB: 4096, diskMiB: 20 * 1024, pool: 'images', name: 'web-1' };

describe('rankHosts', () => {
  it('best fit packs onto the fullest host that still fits; least loaded spreads', () => {
    const hosts = [
      host('roomy', cap({ freeMemoryBytes: 28 * GIB })),
      host('tight', cap({ freeMemoryBytes: 6 * GIB, vcpusCommitted: 20 })),
      host('middle', cap({ freeMemoryBytes: 12 * GIB, vcpusCommitted: 8 })),
    ];
    const best = rankHosts(need, policy(), hosts);
    expect(best.chosenHostId).toBe('tight');
    expect(best.candidates.map((c) => [c.hostId, c.rank])).toEqual([
      ['tight', 1],
      ['middle', 2],
      ['roomy', 3],
    ]);
    expect(best.summary).toBe('tight: best fit: leaves the least room of 3 eligible hosts (26% free after placing)');
    expect(best.candidates[0]?.reasons).toEqual([
      "leaves 2.0 GiB memory, 10 of 32 vCPU slots, 80.0 GiB in pool 'images' (26% free)",
    ]);
    const least = rankHosts(need, policy({ strategy: 'leastLoaded' }), hosts);
    expect(least.candidates.map((c) => c.hostId)).toEqual(['roomy', 'middle', 'tight']);
  });

  it('excludes a host with every reason that applies', () => {
    const r = rankHosts(need, policy({ cpuOvercommit: 1 }), [
      host('full', cap({ freeMemoryBytes: 2 * GIB, vcpusCommitted: 7, poolFreeGiB: 10, domainNames: ['web-1'] }), {
        hasBase: false,
      }),
    ]);
    expect(r.chosenHostId).toBeNull();
    expect(r.candidates[0]).toMatchObject({ eligible: false, rank: null, score: null });
    expect(r.candidates[0]?.reasons).toEqual([
      'memory: needs 4.0 GiB, 2.0 GiB available',
      'vCPUs: 7 committed + 2 requested > 8 CPUs × 1 overcommit = 8',
      "disk: needs 20.0 GiB in pool 'images', 10.0 GiB free",
      "a VM named 'web-1' already exists on this host",
    ]);
    expect(r.summary).toMatch(/^no host can take this VM: full: memory: needs 4\.0 GiB/);
  });

  it('names a missing or stopped pool, a missing base volume, an unreachable host', () => {
    const base = { pool: 'images', volume: 'debian.qcow2' };
    const r = rankHosts({ ...need, base }, policy(), [
      host('nopool', cap({ pool: null })),
      host('stopped', cap({ pool: { name: 'images', state: 'inactive', capacityBytes: 0, availableBytes: 0 } })),
      host('nobase', cap(), { hasBase: false }),
      host('down', null),
    ]);
    expect(r.candidates.map((c) => [c.hostId, c.reasons.join('; ')])).toEqual([
      ['nopool', "storage pool 'images' does not exist on this host"],
      ['stopped', "storage pool 'images' is inactive, not running"],
      ['nobase', "base volume 'debian.qcow2' is not in pool 'images' on this host"],
      ['down', 'connection refused'],
    ]);
  });

  it('applies per-host limits over the policy and keeps the reserve free', () => {
    const hosts = [host('a', cap()), host('b', cap())];
    const r = rankHosts(
      need,
      policy({ reserveMemoryMiB: 1024, perHost: { a: { reserveMemoryMiB: 14 * 1024 }, b: { cpuOvercommit: 0.125 } } }),
      hosts,
    );
    expect(r.candidates.find((c) => c.hostId === 'a')?.reasons).toEqual([
      'memory: needs 4.0 GiB, 2.0 GiB available after keeping 14.0 GiB free',
    ]);
    expect(r.candidates.find((c) => c.hostId === 'b')?.reasons).toEqual([
      'vCPUs: 0 committed + 2 requested > 8 CPUs × 0.125 overcommit = 1',
    ]);
  });

  it('counts VMs already on their way to a host', () => {
    const pending = { vcpus: 31, memoryBytes: 0, diskBytes: 0 };
    const r = rankHosts(need, policy(), [host('a', cap(), { pending }), host('b', cap({ freeMemoryBytes: 5 * GIB }))]);
    expect(r.chosenHostId).toBe('b');
    expect(r.candidates[1]?.reasons).toEqual(['vCPUs: 31 committed + 2 requested > 8 CPUs × 4 overcommit = 32']);
  });

  it('breaks ties by host name, and says when there is no candidate at all', () => {
    const r = rankHosts(need, policy(), [host('zeta', cap()), host('alpha', cap())]);
    expect(r.candidates.map((c) => c.hostId)).toEqual(['alpha', 'zeta']);
    expect(rankHosts(need, policy(), []).summary).toBe('no candidate host: add a host, or name candidates');
  });
});
