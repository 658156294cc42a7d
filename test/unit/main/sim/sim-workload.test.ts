// The simulator's counters and incidents: deterministic for a seed whatever the polling, rates
// that follow the profiles (pegged, steal, leak, busy NIC, daily curve), incidents on schedule.
import { describe, expect, it } from 'vitest';
import { vmFigures } from '../../../../src/main/collector/vm-figures';
import { parseDomStats } from '../../../../src/main/libvirt/parse-domstats';
import { defaultIncidents, IncidentScript } from '../../../../src/main/sim/incidents';
import { createHost } from '../../../../src/main/sim/model';
import type { SimHost } from '../../../../src/main/sim/model';
import { domstats } from '../../../../src/main/sim/render-virsh';
import { advanceHost, diurnal } from '../../../../src/main/sim/workload';

const T0 = Date.UTC(2026, 10, 22, 3, 0, 0);

function sample(host: SimHost, t: number) {
  advanceHost(host, t);
  return parseDomStats(domstats(host, host.vms, t)).domains;
}

/** Figures of every VM between two instants, through the collector's own vmFigures. */
function figures(host: SimHost, t0: number, t1: number) {
  const a = sample(host, t0);
  const b = sample(host, t1);
  return b.map((d, i) => vmFigures(null, { stats: a[i] ?? d, t: t0 / 1000 }, { stats: d, t: t1 / 1000 }, host.cpus));
}

describe('simulated counters', () => {
  it('are the same for a seed however often the host is polled', () => {
    const often = createHost(5, 2, 6, T0);
    const once = createHost(5, 2, 6, T0);
    for (let t = T0; t <= T0 + 120_000; t += 700) advanceHost(often, t);
    advanceHost(once, T0 + 120_000);
    const a = sample(often, T0 + 120_000);
    const b = sample(once, T0 + 120_000);
    a.forEach((d, i) => {
      expect(d.cpuTimeNs).toBeCloseTo(b[i]?.cpuTimeNs ?? 0, -3); // within a microsecond of 2 min of CPU
      expect(d.nets[0]?.rxBytes).toBeCloseTo(b[i]?.nets[0]?.rxBytes ?? 0, -1);
    });
    expect(createHost(6, 2, 6, T0).vms[0]?.uuid).not.toBe(often.vms[0]?.uuid);
  });

  it('follow the profiles: pegged ≥ 95 %, steal, a busy NIC, a leak that grows', () => {
    const host = createHost(9, 0, 8, T0);
    const [pegged, steal, nic, leak] = [host.vms[0], host.vms[1], host.vms[2], host.vms[3]];
    if (!pegged || !steal || !nic || !leak) throw new Error('vms');
    pegged.profile.pegged = true;
    steal.profile.steal = true;
    nic.profile.busyNic = true;
    leak.profile.leak = true;
    leak.bootMs = T0;
    const f = figures(host, T0 + 60_000, T0 + 70_000);
    expect(f[0]?.cpuPct).toBeGreaterThanOrEqual(95);
    expect(f[1]?.stealPct).toBeGreaterThan(15);
    expect(f[4]?.stealPct).toBeLessThan(5);
    expect(f[2]?.netRxBps).toBeGreaterThan(70e6);
    const later = figures(host, T0 + 3 * 3_600_000, T0 + 3 * 3_600_000 + 10_000);
    expect(later[3]?.memPct ?? 0).toBeGreaterThan((f[3]?.memPct ?? 100) + 20);
    for (const v of [...f, ...later]) {
      expect(v.cpuPct).toBeGreaterThanOrEqual(0);
      expect(v.cpuPct).toBeLessThanOrEqual(100);
    }
  });

  it('follow a daily curve: the fleet is busier in the afternoon than at night', () => {
    const night = Date.UTC(2026, 10, 22, 2);
    const noon = Date.UTC(2026, 10, 22, 14);
    expect(diurnal(noon / 1000, 0)).toBeGreaterThan(diurnal(night / 1000, 0) + 0.4);
    const sum = (t: number) =>
      figures(createHost(1, 0, 30, t - 60_000), t, t + 30_000).reduce((a, v) => a + (v.cpuPct ?? 0), 0);
    expect(sum(noon)).toBeGreaterThan(sum(night));
  });
});

describe('scripted incidents', () => {
  it('crash a VM, pause one on an I/O error, stop libvirtd and cut a host off, on schedule', () => {
    const hosts = [0, 1, 2].map((i) => createHost(4, i, 8, T0));
    const script = new IncidentScript(defaultIncidents(3, 8), hosts);
    const [h0, h1, h2] = hosts as [SimHost, SimHost, SimHost];
    script.apply(0, T0);
    expect(h0.vms[1]?.profile.pegged).toBe(true);
    expect(h0.vms[2]?.state).toBe(1);
    script.apply(41, T0 + 41_000);
    const paused = sample(h0, T0 + 41_000)[2];
    expect([paused?.state, paused?.reason]).toEqual(['paused', 'ioerror']);
    script.apply(61, T0 + 61_000);
    expect(sample(h1, T0 + 61_000)[4]?.state).toBe('crashed');
    script.apply(95, T0 + 95_000);
    expect(h2.unreachable).toBe(true);
    script.apply(125, T0 + 125_000);
    expect([h2.unreachable, h1.libvirtdDown]).toEqual([true, true]);
    script.apply(151, T0 + 151_000);
    expect(h2.unreachable).toBe(false); // back after its minute
    script.apply(301, T0 + 301_000);
    expect(h1.libvirtdDown).toBe(false);
    script.apply(1800 + 125, T0);
    expect(h1.libvirtdDown).toBe(true); // every half hour
  });
});
