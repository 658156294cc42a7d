// /proc files and nproc for a simulated host, in the kernel's exact layouts (the captures under
// test/fixtures/proc): stat, meminfo, loadavg, net/dev, uptime.
import type { SimHost } from './model';
import { ST, isActive } from './model';
import { diurnal, vmMemUsedKiB } from './workload';
import { unit } from './rng';

const r = Math.round;

export function procStat(host: SimHost): string {
  const j = host.jiffies;
  const cols = (x: number) => [x * j.user, 0, x * j.system, x * j.idle, x * j.iowait, 0, x * j.softirq, 0, 0, 0];
  const lines = [`cpu  ${cols(1).map(r).join(' ')}`];
  // per-CPU lines: the totals split evenly (with the remainders on cpu0 so the sums match)
  for (let i = 0; i < host.cpus; i++)
    lines.push(
      `cpu${i} ${cols(1 / host.cpus)
        .map(Math.floor)
        .join(' ')}`,
    );
  const intr = r(host.ctxt * 0.6);
  lines.push(
    `intr ${intr} ${Array.from({ length: 64 }, (_, i) => (i === 0 ? r(intr * 0.4) : 0)).join(' ')}`,
    `ctxt ${r(host.ctxt)}`,
    `btime ${Math.floor(host.bootMs / 1000)}`,
    `processes ${r(host.processes)}`,
    `procs_running ${1 + Math.floor(host.vms.length / 8)}`,
    'procs_blocked 0',
    `softirq ${r(host.jiffies.softirq * 40)} 0 ${r(host.ctxt * 0.05)} 14 ${r(host.ctxt * 0.02)} 0 0 3 ${r(host.ctxt * 0.08)} 0 ${r(host.ctxt * 0.09)}`,
  );
  return `${lines.join('\n')}\n`;
}

const kb = (name: string, v: number) => `${`${name}:`.padEnd(16)}${String(r(v)).padStart(8)} kB`;
const plain = (name: string, v: number) => `${`${name}:`.padEnd(16)}${String(r(v)).padStart(8)}`;

export function meminfo(host: SimHost, nowMs: number): string {
  const total = host.memKiB;
  let guests = 0;
  for (const vm of host.vms) {
    if (isActive(vm)) guests += vmMemUsedKiB(vm, nowMs) + 180_000;
  }
  const cached = total * 0.04;
  const buffers = total * 0.002;
  const slab = total * 0.006;
  const used = Math.min(total * 0.97, guests + total * 0.015);
  const free = Math.max(total * 0.005, total - used - cached - buffers - slab);
  const available = free + cached * 0.85 + buffers + slab * 0.6;
  return (
    [
      kb('MemTotal', total),
      kb('MemFree', free),
      kb('MemAvailable', available),
      kb('Buffers', buffers),
      kb('Cached', cached),
      kb('SwapCached', 0),
      kb('Active', guests * 0.8 + cached * 0.5),
      kb('Inactive', guests * 0.2 + cached * 0.5),
      kb('Active(anon)', guests * 0.8),
      kb('Inactive(anon)', guests * 0.2),
      kb('Active(file)', cached * 0.5),
      kb('Inactive(file)', cached * 0.5),
      kb('Unevictable', 11_360),
      kb('Mlocked', 10_428),
      kb('SwapTotal', 8_388_604),
      kb('SwapFree', 8_388_604),
      kb('Zswap', 0),
      kb('Zswapped', 0),
      kb('Dirty', 240 + 2000 * unit(host.seed, host.index, Math.floor(nowMs / 10_000))),
      kb('Writeback', 0),
      kb('AnonPages', guests),
      kb('Mapped', 144_896),
      kb('Shmem', 8856),
      kb('KReclaimable', slab * 0.8),
      kb('Slab', slab),
      kb('SReclaimable', slab * 0.8),
      kb('SUnreclaim', slab * 0.2),
      kb('KernelStack', 18_440),
      kb('PageTables', guests / 500),
      kb('SecPageTables', 0),
      kb('NFS_Unstable', 0),
      kb('Bounce', 0),
      kb('WritebackTmp', 0),
      kb('CommitLimit', total / 2 + 8_388_604),
      kb('Committed_AS', guests * 1.1),
      kb('VmallocTotal', 34_359_738_367),
      kb('VmallocUsed', 314_756),
      kb('VmallocChunk', 0),
      kb('Percpu', 688 * host.cpus),
      kb('AnonHugePages', guests * 0.6),
      kb('ShmemHugePages', 0),
      kb('ShmemPmdMapped', 0),
      kb('FileHugePages', 0),
      kb('FilePmdMapped', 0),
      kb('Balloon', 0),
      plain('HugePages_Total', 0),
      plain('HugePages_Free', 0),
      plain('HugePages_Rsvd', 0),
      plain('HugePages_Surp', 0),
      kb('Hugepagesize', 2048),
      kb('Hugetlb', 0),
      kb('DirectMap4k', 28_672),
      kb('DirectMap2M', 2_068_480),
      kb('DirectMap1G', total - 2_097_152),
    ].join('\n') + '\n'
  );
}

/** Load follows the daily curve of the host's guests, the 5- and 15-minute figures lagging. */
export function loadavg(host: SimHost, nowMs: number): string {
  const busy = (t: number) => {
    let s = 0;
    for (const vm of host.vms) {
      if (vm.state === ST.running) s += vm.vcpus * Math.min(1, vm.profile.pegged ? 1 : vm.profile.cpu * diurnal(t, 0));
    }
    return Math.min(host.cpus * 1.5, s);
  };
  const t = nowMs / 1000;
  const fmt = (x: number) => x.toFixed(2);
  const running = 1 + Math.floor(host.vms.length / 8);
  return `${fmt(busy(t))} ${fmt(busy(t - 300))} ${fmt(busy(t - 900))} ${running}/${400 + host.vms.length * 6} ${Math.floor(host.processes) % 4194304}\n`;
}

const NETDEV_HEAD =
  'Inter-|   Receive                                                |  Transmit\n' +
  ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n';

/** The kernel's dev_seq_printf_stats layout. */
function netLine(name: string, rxB: number, rxP: number, txB: number, txP: number): string {
  const z = (w: number) => '0'.padStart(w);
  return (
    `${name.padStart(6)}: ${String(r(rxB)).padStart(7)} ${String(r(rxP)).padStart(7)} ${z(4)} ${z(4)} ${z(4)} ${z(5)} ${z(10)} ${z(9)} ` +
    `${String(r(txB)).padStart(8)} ${String(r(txP)).padStart(7)} ${z(4)} ${z(4)} ${z(4)} ${z(5)} ${z(7)} ${z(10)}`
  );
}

/** Host NICs, then one vnet (tap) per running VM: the host receives what the guest sends. */
export function netDev(host: SimHost): string {
  const lines = host.nics.map((n) => netLine(n.name, n.rxB, n.rxP, n.txB, n.txP));
  for (const vm of host.vms) {
    if (!isActive(vm)) continue;
    lines.push(netLine(vm.nic, vm.c.txB, vm.c.txP, vm.c.rxB, vm.c.rxP));
  }
  return NETDEV_HEAD + lines.join('\n') + '\n';
}

export function uptime(host: SimHost, nowMs: number): string {
  return `${((nowMs - host.bootMs) / 1000).toFixed(2)} ${host.idleSec.toFixed(2)}\n`;
}

export function nproc(host: SimHost): string {
  return `${host.cpus}\n`;
}
