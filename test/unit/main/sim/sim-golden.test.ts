// Golden checks of the simulator's output against real captures: the same keys in the same
// order as libvirtd 9.0 / Linux print them, and every section read by the project's own parsers
// without a warning.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDomStats } from '../../../../src/main/libvirt/parse-domstats';
import { parseListUuidName } from '../../../../src/main/libvirt/parse-list-uuid';
import { parseVirshList } from '../../../../src/main/libvirt/parse-list';
import { parseNodeInfo } from '../../../../src/main/libvirt/parse-nodeinfo';
import { parsePoolInfo } from '../../../../src/main/libvirt/parse-pool-info';
import {
  parseLoadavg,
  parseMeminfo,
  parseNetDev,
  parseProcStat,
  parseUptime,
} from '../../../../src/main/procfs/parse-proc';
import { createHost, ST } from '../../../../src/main/sim/model';
import type { SimHost } from '../../../../src/main/sim/model';
import * as proc from '../../../../src/main/sim/render-proc';
import * as virsh from '../../../../src/main/sim/render-virsh';
import { advanceHost } from '../../../../src/main/sim/workload';

const fixture = (dir: string, name: string) => readFileSync(join(__dirname, '../../../fixtures', dir, name), 'utf8');
const T0 = Date.UTC(2026, 10, 22, 14, 0, 0);

/** The keys of each domain block, with entry indices as # (net.0.rx.bytes → net.#.rx.bytes). */
function keyShapes(text: string): string[][] {
  return text
    .split(/\n(?=Domain: ')/)
    .filter((b) => b.startsWith('Domain: '))
    .map((b) =>
      b
        .split('\n')
        .slice(1)
        .filter((l) => l.includes('='))
        .map((l) => (l.split('=')[0] ?? '').replace(/\.\d+\./g, '.#.')),
    );
}
const unique = (keys: string[]) => [...new Set(keys)];

function host(): SimHost {
  const h = createHost(11, 0, 12, T0);
  advanceHost(h, T0 + 10_000);
  return h;
}

describe('simulated virsh output has the real shape', () => {
  it('domstats of a running guest without a balloon driver: exactly the keys of the lab capture, in order', () => {
    const h = host();
    const vm = h.vms.find((v) => !v.guestBalloon && v.vcpus === 1) ?? h.vms.find((v) => !v.guestBalloon);
    expect(vm).toBeDefined();
    if (!vm) return;
    vm.vcpus = 1;
    const real = unique(keyShapes(fixture('virsh', 'qemu_domstats_raw_3dom_live.txt'))[0] ?? []);
    const sim = unique(keyShapes(virsh.domstats(h, [vm], T0 + 10_000))[0] ?? []);
    expect(sim).toEqual(real);
  });

  it('domstats of a shut-off guest: the keys of the captured shut-off domain', () => {
    const h = host();
    const vm = h.vms[0];
    if (!vm) throw new Error('no vm');
    vm.state = ST.shutoff;
    vm.reason = 2;
    const lifecycle = fixture('virsh', 'qemu_lifecycle_tiny5.txt');
    const block = /Domain: 'tiny5'\n {2}state\.state=5[\s\S]*?\n\n/.exec(lifecycle)?.[0] ?? '';
    expect(keyShapes(virsh.domstats(h, [vm], T0))).toEqual(keyShapes(block));
  });

  it('domstats of a guest with a balloon driver adds libvirt’s guest memory keys, and all of it parses', () => {
    const h = host();
    const text = virsh.domstats(h, h.vms, T0 + 10_000);
    const { domains, warnings } = parseDomStats(text);
    expect(warnings).toEqual([]);
    expect(domains.map((d) => d.name)).toEqual(h.vms.map((v) => v.name));
    const withBalloon = domains.find((d) => d.balloon.unusedKiB !== null);
    expect(withBalloon?.balloon.availableKiB).toBeGreaterThan(0);
    for (const d of domains) {
      expect(d.state).toBe('running');
      expect(d.cpuTimeNs).toBeGreaterThan(0);
      expect(d.nets).toHaveLength(1);
      expect(d.blocks).toHaveLength(1);
      expect(d.vcpuDelayNs).not.toBeNull();
    }
  });

  it('list, nodeinfo, version and pools read back with the real parsers', () => {
    const h = host();
    const list = parseListUuidName(virsh.listUuidName(h));
    expect(list.warnings).toEqual([]);
    expect(list.items.map((i) => i.name)).toEqual(h.vms.map((v) => v.name));
    expect(list.items.every((i, k) => i.uuid === h.vms[k]?.uuid)).toBe(true);

    const node = parseNodeInfo(virsh.nodeinfo(h));
    expect(node.warnings).toEqual([]);
    expect(node.info.cpus).toBe(h.cpus);
    expect(node.info.memoryKiB).toBe(h.memKiB);
    const realNode = fixture('virsh', 'qemu_nodeinfo_live.txt')
      .split('\n')
      .map((l) => l.split(':')[0]);
    expect(
      virsh
        .nodeinfo(h)
        .split('\n')
        .map((l) => l.split(':')[0]),
    ).toEqual(realNode);

    expect(virsh.version(true)).toMatch(
      /^Compiled against library: libvirt [\d.]+\n[\s\S]*Running against daemon: 9\.0\.0\n\n$/,
    );

    const pools = parsePoolInfo(
      h.pools.map((p) => `@@VDPOOL ${p.uuid}\n${virsh.poolInfoBytes(h, p.uuid) ?? ''}`).join(''),
    );
    expect(pools.warnings).toEqual([]);
    expect(pools.pools.map((p) => p.name)).toEqual(['default', 'iso']);
    expect(pools.pools[0]?.capacityBytes).toBeGreaterThan(pools.pools[0]?.allocationBytes ?? Infinity);
  });

  it('the `virsh list --all` table is laid out like virsh’s', () => {
    const real = fixture('virsh', 'qemu_list_all.txt');
    const rows = [1, 2, 3, 4, 5].map((i) => [String(i), `lab-vm0${i}`, 'running']);
    expect(virsh.table(['Id', 'Name', 'State'], rows)).toBe(real);
    const h = host();
    const first = h.vms[0];
    if (first) {
      first.state = ST.shutoff;
      first.domId = null;
    }
    const parsed = parseVirshList(virsh.listTable(h, true));
    expect(parsed.warnings).toEqual([]);
    expect(parsed.items.find((d) => d.name === first?.name)?.state).toBe('shut off');
  });
});

describe('simulated /proc has the real shape', () => {
  it('meminfo: the captured keys in the captured order and layout', () => {
    const h = host();
    const sim = proc.meminfo(h, T0);
    const keys = (t: string) =>
      t
        .trim()
        .split('\n')
        .map((l) => l.split(':')[0]);
    expect(keys(sim)).toEqual(keys(fixture('proc', 'lab-host_meminfo.txt')));
    for (const line of sim.trim().split('\n')) expect(line).toMatch(/^[A-Za-z0-9_()]+:\s+\d+( kB)?$/);
    expect(line(sim, 'MemTotal')).toHaveLength(line(fixture('proc', 'lab-host_meminfo.txt'), 'MemTotal').length + 1);
    const m = parseMeminfo(sim);
    expect(m.warnings).toEqual([]);
    expect(m.value.memTotalKiB).toBe(h.memKiB);
    expect(m.value.memAvailableKiB).toBeLessThan(h.memKiB);
  });

  it('stat, loadavg, net/dev and uptime parse without warnings; net/dev keeps the kernel header', () => {
    const h = host();
    const stat = parseProcStat(proc.procStat(h));
    expect(stat.warnings).toEqual([]);
    expect(stat.value.cpuCount).toBe(h.cpus);
    expect(
      proc
        .procStat(h)
        .split('\n')
        .map((l) => l.split(' ')[0]),
    ).toContain('btime');
    expect(parseLoadavg(proc.loadavg(h, T0)).warnings).toEqual([]);
    const realDev = fixture('proc', 'lab-host_net_dev.txt').split('\n');
    const simDev = proc.netDev(h).split('\n');
    expect(simDev.slice(0, 2)).toEqual(realDev.slice(0, 2));
    expect(simDev[2]?.indexOf(':')).toBe(realDev[2]?.indexOf(':'));
    const nets = parseNetDev(proc.netDev(h));
    expect(nets.warnings).toEqual([]);
    expect(nets.value.map((n) => n.name)).toEqual([...h.nics.map((n) => n.name), ...h.vms.map((v) => v.nic)]);
    const up = parseUptime(proc.uptime(h, T0 + 10_000));
    expect(up.warnings).toEqual([]);
    expect(up.value.uptimeSec).toBeCloseTo((T0 + 10_000 - h.bootMs) / 1000, 1);
  });
});

function line(text: string, key: string): string {
  return text.split('\n').find((l) => l.startsWith(`${key}:`)) ?? '';
}
