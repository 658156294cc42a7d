// The simulator end to end through the real collector path: a Fleet connects to 2 simulated
// hosts × 5 VMs over SSH (publickey, persistent sh, batched cycles), gets live rates, and sees
// the scripted incidents as a crashed VM, a degraded host (libvirtd down) and an unreachable
// host, moved along by the simulator's clock. Needs no lab.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../helpers/collector';
import { startSimFleet } from '../helpers/sim';
import type { SimFleet } from '../helpers/sim';

describe('collector against the fleet simulator', () => {
  let s: SimFleet;
  const latest = (hostId: string) => [...s.snapshots].reverse().find((x) => x.hostId === hostId);

  beforeAll(async () => {
    s = await startSimFleet({
      hosts: 2,
      vms: 5,
      seed: 21,
      incidents: [
        { kind: 'cpu-pegged', host: 0, vm: 1, atSec: 0 },
        { kind: 'vm-crash', host: 0, vm: 2, atSec: 1000 },
        { kind: 'libvirtd-down', host: 1, atSec: 2000, forSec: 1000 },
        { kind: 'host-unreachable', host: 0, atSec: 5000, forSec: 60 },
      ],
    });
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('collects both hosts over SSH with live rates', async () => {
    const [h0, h1] = s.ids as [string, string];
    await until('both hosts ok with rates', () =>
      [h0, h1].every((id) => {
        const snap = latest(id);
        return s.views.get(id)?.status === 'ok' && snap?.vms.length === 5 && snap.vms.every((v) => v.cpuPct !== null);
      }),
    );
    const snap = latest(h0);
    expect(snap?.warnings).toEqual([]);
    expect(snap?.host?.cpus).toBe(s.sim.hosts[0]?.cpus);
    expect(snap?.host?.cpuPct).toBeGreaterThan(0);
    expect(snap?.host?.pools.map((p) => p.name)).toEqual(['default', 'iso']);
    expect(snap?.vms.map((v) => v.name)).toEqual(s.sim.hosts[0]?.vms.map((v) => v.name));
    expect(snap?.vms.every((v) => v.uuid !== null && v.netRxBps !== null && v.memPct !== null)).toBe(true);
    expect(snap?.vms[1]?.cpuPct).toBeGreaterThanOrEqual(95); // the pegged VM
    // autostart as the simulated libvirt has it (`virsh list --all --autostart --uuid`)
    expect(snap?.vms.map((v) => v.autostart)).toEqual(s.sim.hosts[0]?.vms.map((v) => v.autostart));
  });

  it('a crashed VM shows as crashed', async () => {
    const h0 = s.ids[0] ?? '';
    const name = s.sim.hosts[0]?.vms[2]?.name;
    s.clock.jump(1001);
    const vm = await until('crashed VM', () =>
      s.views.get(h0)?.vms.find((v) => v.name === name && v.state === 'crashed'),
    );
    expect(vm.uuid).toBe(s.sim.hosts[0]?.vms[2]?.uuid);
    expect(latest(h0)?.vms.find((v) => v.name === name)?.cpuPct).toBe(0);
  });

  it('libvirtd down: the host is degraded with libvirt’s own error, host figures keep coming', async () => {
    const h1 = s.ids[1] ?? '';
    s.clock.jump(1000);
    const view = await until('degraded host', () => (s.views.get(h1)?.status === 'degraded' ? s.views.get(h1) : false));
    expect(view?.reason).toBe('SSH works but virsh failed: error: failed to connect to the hypervisor');
    const before = s.snapshots.length;
    const snap = await until('a degraded cycle with host figures', () =>
      s.snapshots.slice(before).find((x) => x.hostId === h1 && x.host !== null),
    );
    expect(snap.vms).toEqual([]);
    expect(snap.host?.memTotalKiB).toBe(s.sim.hosts[1]?.memKiB);
  });

  it('an unreachable host is unreachable, and comes back', async () => {
    const h0 = s.ids[0] ?? '';
    s.clock.jump(3000); // 5001 s: host 0 stops answering for a minute
    const view = await until('unreachable host', () =>
      s.views.get(h0)?.status === 'unreachable' ? s.views.get(h0) : false,
    );
    // refused on reconnect, or (a cycle under way when it stopped, on a loaded machine) timed out
    expect(view?.reason).toMatch(/ECONNREFUSED|refused|closed|ended|no answer within/i);
    s.clock.jump(61);
    await until('host back', () => s.views.get(h0)?.status === 'ok', 45_000);
  });
});
