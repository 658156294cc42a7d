// virsh's output for a simulated host, in libvirt 9's exact formats (key order and spacing as in
// the captures under test/fixtures/virsh): domstats --raw, list, nodeinfo, version, pool-info…
import type { SimHost, SimVm } from './model';
import { ST, isActive } from './model';
import { vmMemUsedKiB } from './workload';

const r = Math.round;

/** Words virsh prints for virDomainState (`virsh domstate`, `list`, `dominfo`). */
const STATE_WORDS = ['no state', 'running', 'idle', 'paused', 'in shutdown', 'shut off', 'crashed', 'pmsuspended'];

/** virsh's wording of state reasons (`domstate --reason`), per state. */
const REASON_WORDS: Record<number, readonly string[]> = {
  [ST.running]: ['unknown', 'booted', 'migrated', 'restored', 'from snapshot', 'unpaused', 'migration canceled'],
  [ST.paused]: ['unknown', 'user', 'migrating', 'saving', 'dumping', 'I/O error', 'watchdog', 'from snapshot'],
  [ST.shutdown]: ['unknown', 'user'],
  [ST.shutoff]: ['unknown', 'shutdown', 'destroyed', 'crashed', 'migrated', 'saved', 'failed', 'from snapshot'],
  [ST.crashed]: ['unknown', 'panicked'],
};

export function stateWord(vm: SimVm): string {
  return STATE_WORDS[vm.state] ?? 'no state';
}

export function domstate(vm: SimVm, reason: boolean): string {
  const word = stateWord(vm);
  if (!reason) return `${word}\n\n`;
  return `${word} (${REASON_WORDS[vm.state]?.[vm.reason] ?? 'unknown'})\n\n`;
}

function domstatsVm(vm: SimVm, nowMs: number, out: string[]): void {
  const c = vm.c;
  const active = isActive(vm);
  out.push(`Domain: '${vm.name}'`, `  state.state=${vm.state}`, `  state.reason=${vm.reason}`);
  out.push(`  cpu.time=${r(c.cpuNs)}`, `  cpu.user=${r(c.userNs)}`, `  cpu.system=${r(c.sysNs)}`);
  if (active) {
    out.push('  cpu.cache.monitor.count=0', '  cpu.haltpoll.success.time=0', '  cpu.haltpoll.fail.time=0');
  }
  out.push(`  balloon.current=${vm.maxMemKiB}`, `  balloon.maximum=${vm.maxMemKiB}`);
  if (active) {
    const used = vmMemUsedKiB(vm, nowMs);
    if (vm.guestBalloon) {
      const unused = vm.maxMemKiB - used;
      out.push(
        '  balloon.swap_in=0',
        '  balloon.swap_out=0',
        `  balloon.major_fault=${r(c.majFault)}`,
        `  balloon.minor_fault=${r(c.minFault)}`,
        `  balloon.unused=${unused}`,
        `  balloon.available=${vm.maxMemKiB - 65_536}`,
        `  balloon.usable=${r(unused + used * 0.3)}`,
        `  balloon.last-update=${Math.floor(nowMs / 10_000) * 10}`,
        `  balloon.disk_caches=${r(used * 0.3)}`,
        '  balloon.hugetlb_pgalloc=0',
        '  balloon.hugetlb_pgfail=0',
      );
    } else out.push('  balloon.last-update=0');
    out.push(`  balloon.rss=${Math.min(vm.maxMemKiB + 180_000, used + 180_000)}`);
  }
  out.push(`  vcpu.current=${vm.vcpus}`, `  vcpu.maximum=${vm.vcpus}`);
  if (active) {
    for (let i = 0; i < vm.vcpus; i++) {
      out.push(
        `  vcpu.${i}.state=1`,
        `  vcpu.${i}.time=${Math.floor((c.vcpuNs[i] ?? 0) / 1e7) * 1e7}`, // vcpu time has 10 ms granularity
        `  vcpu.${i}.wait=0`,
        `  vcpu.${i}.delay=${r(c.delayNs[i] ?? 0)}`,
      );
    }
    out.push('  net.count=1', `  net.0.name=${vm.nic}`);
    out.push(`  net.0.rx.bytes=${r(c.rxB)}`, `  net.0.rx.pkts=${r(c.rxP)}`, '  net.0.rx.errs=0', '  net.0.rx.drop=0');
    out.push(`  net.0.tx.bytes=${r(c.txB)}`, `  net.0.tx.pkts=${r(c.txP)}`, '  net.0.tx.errs=0', '  net.0.tx.drop=0');
  }
  out.push('  block.count=1', '  block.0.name=vda', `  block.0.path=${vm.diskPath}`);
  if (active) {
    out.push(
      '  block.0.backingIndex=1',
      `  block.0.rd.reqs=${r(c.rdR)}`,
      `  block.0.rd.bytes=${r(c.rdB)}`,
      `  block.0.rd.times=${r(c.rdR * 180_000)}`,
      `  block.0.wr.reqs=${r(c.wrR)}`,
      `  block.0.wr.bytes=${r(c.wrB)}`,
      `  block.0.wr.times=${r(c.wrR * 450_000)}`,
      `  block.0.fl.reqs=${r(c.flR)}`,
      `  block.0.fl.times=${r(c.flR * 900_000)}`,
    );
  }
  out.push(`  block.0.allocation=${active ? 0 : vm.allocation}`, `  block.0.capacity=${vm.capacity}`);
  out.push(`  block.0.physical=${vm.allocation}`);
  if (active) {
    out.push(
      '  dirtyrate.calc_status=0',
      '  dirtyrate.calc_start_time=0',
      '  dirtyrate.calc_period=0',
      '  dirtyrate.calc_mode=page-sampling',
    );
  }
  out.push('');
}

/** `virsh domstats --raw [--nowait] [NAME…]`: every domain (or the named ones), a blank line after each. */
export function domstats(host: SimHost, vms: readonly SimVm[], nowMs: number): string {
  const out: string[] = [];
  for (const vm of vms) domstatsVm(vm, nowMs, out);
  return out.length ? `${out.join('\n')}\n` : '\n';
}

/** `virsh list --all --uuid --name`: "UUID NAME" per domain, then a blank line. */
export function listUuidName(host: SimHost): string {
  return `${host.vms.map((v) => `${v.uuid} ${v.name}`).join('\n')}\n\n`;
}

/** virsh's table layout (vshTable): each cell " text" padded to its column plus two blanks, right-trimmed. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => ` ${c.padEnd(widths[i] ?? 0)}  `)
      .join('')
      .trimEnd();
  const dashes = '-'.repeat(widths.reduce((a, w) => a + w + 3, 0));
  return [line(header), dashes, ...rows.map(line)].join('\n') + '\n\n';
}

/** `virsh list [--all]`: running domains sorted by id, then (with --all) the inactive ones by name. */
export function listTable(host: SimHost, all: boolean): string {
  const active = host.vms.filter((v) => v.domId !== null).sort((a, b) => (a.domId ?? 0) - (b.domId ?? 0));
  const inactive = all
    ? host.vms.filter((v) => v.domId === null).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    : [];
  return table(
    ['Id', 'Name', 'State'],
    [...active, ...inactive].map((v) => [v.domId === null ? '-' : String(v.domId), v.name, stateWord(v)]),
  );
}

export function nodeinfo(host: SimHost): string {
  return [
    `CPU model:           ${host.cpuModel}`,
    `CPU(s):              ${host.cpus}`,
    `CPU frequency:       ${host.mhz} MHz`,
    `CPU socket(s):       ${host.sockets}`,
    `Core(s) per socket:  ${host.cores}`,
    `Thread(s) per core:  ${host.threads}`,
    `NUMA cell(s):        ${host.numa}`,
    `Memory size:         ${host.memKiB} KiB`,
    '',
    '',
  ].join('\n');
}

export function version(daemon: boolean): string {
  const lines = [
    'Compiled against library: libvirt 9.0.0',
    'Using library: libvirt 9.0.0',
    'Using API: QEMU 9.0.0',
    'Running hypervisor: QEMU 7.2.0',
  ];
  if (daemon) lines.push('Running against daemon: 9.0.0');
  return `${lines.join('\n')}\n\n`;
}

export function poolListUuid(host: SimHost): string {
  return `${host.pools.map((p) => p.uuid).join('\n')}\n\n`;
}

export function poolInfoBytes(host: SimHost, key: string): string | null {
  const p = host.pools.find((x) => x.uuid === key || x.name === key);
  if (!p) return null;
  const alloc = r(p.allocation);
  return [
    `Name:           ${p.name}`,
    `UUID:           ${p.uuid}`,
    'State:          running',
    'Persistent:     yes',
    'Autostart:      yes',
    `Capacity:       ${p.capacity}`,
    `Allocation:     ${alloc}`,
    `Available:      ${p.capacity - alloc}`,
    '',
    '',
  ].join('\n');
}

export function dominfo(vm: SimVm, nowMs: number): string {
  const used = vm.state === ST.running || vm.state === ST.paused ? vmMemUsedKiB(vm, nowMs) : vm.maxMemKiB;
  const lines = [
    `Id:             ${vm.domId ?? '-'}`,
    `Name:           ${vm.name}`,
    `UUID:           ${vm.uuid}`,
    'OS Type:        hvm',
    `State:          ${stateWord(vm)}`,
    `CPU(s):         ${vm.vcpus}`,
    `CPU time:       ${(vm.c.cpuNs / 1e9).toFixed(1)}s`,
    `Max memory:     ${vm.maxMemKiB} KiB`,
    `Used memory:    ${vm.guestBalloon ? vm.maxMemKiB : used} KiB`,
    `Persistent:     ${vm.persistent ? 'yes' : 'no'}`,
    `Autostart:      ${vm.autostart ? 'enable' : 'disable'}`,
    'Managed save:   no',
    'Security model: none',
    'Security DOI:   0',
  ];
  return `${lines.join('\n')}\n\n`;
}
