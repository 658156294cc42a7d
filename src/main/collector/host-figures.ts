// Host figures from one cycle's /proc sections (CPU from /proc/stat deltas, memory, load, NICs,
// uptime) plus slower facts (nodeinfo, libvirt version, storage pools) kept between cycles.
import type { HostFigures, PoolFigures } from '../../shared/model/metrics';
import { parseNodeInfo } from '../libvirt/parse-nodeinfo';
import type { NodeInfo } from '../libvirt/parse-nodeinfo';
import { parsePoolInfo } from '../libvirt/parse-pool-info';
import { parseLoadavg, parseMeminfo, parseNetDev, parseProcStat, parseUptime } from '../procfs/parse-proc';
import type { CpuJiffies, NetDevCounters } from '../procfs/parse-proc';
import type { Section } from './batch';
import { nicRates, pct } from './rates';

/** What the next cycle needs from this one to turn counters into rates. */
export interface HostSample {
  /** The host's uptime: the clock both samples share. */
  uptimeSec: number | null;
  cpu: CpuJiffies | null;
  nets: NetDevCounters[];
}

/** Slow-changing facts, refreshed now and then rather than every cycle. */
export class HostFacts {
  nodeinfo: NodeInfo | null = null;
  libvirtVersion: string | null = null;
  hypervisor: string | null = null;
  pools: PoolFigures[] = [];
}

const n0 = (v: number | null) => v ?? 0;
function cpuTotals(c: CpuJiffies): { total: number; idle: number; steal: number } {
  const idle = n0(c.idle) + n0(c.iowait);
  const total = n0(c.user) + n0(c.nice) + n0(c.system) + idle + n0(c.irq) + n0(c.softirq) + n0(c.steal);
  return { total, idle, steal: n0(c.steal) };
}

/** `virsh version --daemon`: "Running against daemon: 9.0.0", "Running hypervisor: QEMU 7.2.0". */
export function parseVersion(text: string): { daemon: string | null; hypervisor: string | null } {
  const daemon = /Running against daemon:\s*(.+)/.exec(text)?.[1]?.trim() ?? null;
  const hypervisor = /Running hypervisor:\s*(.+)/.exec(text)?.[1]?.trim() ?? null;
  return { daemon, hypervisor };
}

function ok(sections: Map<string, Section>, name: string): string | null {
  const s = sections.get(name);
  return s && s.code === 0 ? s.text : null;
}

export function hostFigures(
  sections: Map<string, Section>,
  prev: HostSample | null,
  facts: HostFacts,
  warnings: string[],
): { figures: HostFigures | null; sample: HostSample | null } {
  const take = <T>(r: { value: T; warnings: string[] }): T => {
    warnings.push(...r.warnings);
    return r.value;
  };
  const statText = ok(sections, 'stat');
  if (statText === null) return { figures: null, sample: null };
  const stat = take(parseProcStat(statText));
  const mem = ok(sections, 'meminfo') !== null ? take(parseMeminfo(ok(sections, 'meminfo') ?? '')) : null;
  const load = ok(sections, 'loadavg') !== null ? take(parseLoadavg(ok(sections, 'loadavg') ?? '')) : null;
  const nets = ok(sections, 'netdev') !== null ? take(parseNetDev(ok(sections, 'netdev') ?? '')) : [];
  const uptime = ok(sections, 'uptime') !== null ? take(parseUptime(ok(sections, 'uptime') ?? '')) : null;

  const nodeinfoText = ok(sections, 'nodeinfo');
  if (nodeinfoText !== null) {
    const r = parseNodeInfo(nodeinfoText);
    warnings.push(...r.warnings);
    facts.nodeinfo = r.info;
  }
  const versionText = ok(sections, 'version');
  if (versionText !== null) {
    const v = parseVersion(versionText);
    facts.libvirtVersion = v.daemon;
    facts.hypervisor = v.hypervisor;
  }
  const poolsText = ok(sections, 'pools');
  if (poolsText !== null) {
    const r = parsePoolInfo(poolsText);
    warnings.push(...r.warnings);
    facts.pools = r.pools.map((p) => ({
      name: p.name,
      state: p.state,
      capacityBytes: p.capacityBytes,
      allocationBytes: p.allocationBytes,
      availableBytes: p.availableBytes,
      usedPct: pct(p.allocationBytes, p.capacityBytes),
    }));
  }

  const sample: HostSample = { uptimeSec: uptime?.uptimeSec ?? null, cpu: stat.cpu, nets };
  const dt = prev?.uptimeSec != null && sample.uptimeSec != null ? sample.uptimeSec - prev.uptimeSec : 0;
  let cpuPct: number | null = null;
  let stealPct: number | null = null;
  if (prev?.cpu && dt > 0) {
    const a = cpuTotals(prev.cpu);
    const b = cpuTotals(stat.cpu);
    const dTotal = b.total - a.total;
    if (dTotal > 0) {
      const busy = dTotal - (b.idle - a.idle);
      if (busy >= 0) cpuPct = Math.min(100, (100 * busy) / dTotal);
      if (b.steal >= a.steal) stealPct = (100 * (b.steal - a.steal)) / dTotal;
    }
  }
  const nics = nicRates(
    prev?.nets,
    nets.filter((n) => n.name !== 'lo'),
    dt,
  );
  const nprocText = ok(sections, 'nproc');
  const nproc = nprocText !== null && /^\s*\d+\s*$/.test(nprocText) ? Number(nprocText) : null;
  const total = mem?.memTotalKiB ?? null;
  const available = mem?.memAvailableKiB ?? null;
  const used = total != null && available != null ? total - available : null;
  return {
    sample,
    figures: {
      cpuPct,
      stealPct,
      cpus: nproc ?? stat.cpuCount ?? facts.nodeinfo?.cpus ?? null,
      load1: load?.load1 ?? null,
      load5: load?.load5 ?? null,
      load15: load?.load15 ?? null,
      memTotalKiB: total,
      memUsedKiB: used,
      memAvailableKiB: available,
      memPct: pct(used, total),
      uptimeSec: sample.uptimeSec,
      nics,
      vmCounts: {},
      pools: facts.pools,
      libvirtVersion: facts.libvirtVersion,
      cpuModel: facts.nodeinfo?.cpuModel ?? null,
    },
  };
}
