// The fleet in the Prometheus text format, named and labelled like the libvirt exporters
// (libvirt_domain_info_cpu_time_seconds_total{domain,uuid,host}, block and interface counters
// with target_device, …) so existing dashboards work, plus VirtDeck's own series. Counters are
// the raw cumulative values the collector read (rates are Prometheus's job). A registry is built
// per scrape from the latest cycle: a VM that vanished leaves no series behind.
import { Counter, Gauge, Registry } from 'prom-client';
import { HOST_STATUSES } from '../../shared/model/host';
import type { ExposedHost } from '../collector/fleet';

/** USER_HZ: /proc/stat counts in 1/100 s on every Linux architecture (node_exporter assumes the same). */
const USER_HZ = 100;
/** /proc/stat columns summed as the host's CPU time; guest time is already inside user and nice. */
const CPU_MODES = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'] as const;
const VM_LABELS = ['host', 'domain', 'uuid'] as const;
const DEV_LABELS = [...VM_LABELS, 'target_device'] as const;

type Labels = Record<string, string>;

/** One series family: help text, type and the labels it carries. */
function family(reg: Registry, kind: 'counter' | 'gauge', name: string, help: string, labelNames: readonly string[]) {
  const m =
    kind === 'counter'
      ? new Counter({ name, help, labelNames, registers: [reg] })
      : new Gauge({ name, help, labelNames, registers: [reg] });
  return (labels: Labels, value: number | null | undefined) => {
    if (value == null || !Number.isFinite(value)) return; // unknown is no sample, never 0
    if (m instanceof Counter) {
      if (value >= 0) m.inc(labels, value);
    } else m.set(labels, value);
  };
}

/** Every series VirtDeck exposes (also the vocabulary of the PromQL mapping and the rules export). */
export const SERIES = {
  up: 'libvirt_up',
  cpuTime: 'libvirt_domain_info_cpu_time_seconds_total',
  vcpus: 'libvirt_domain_info_virtual_cpus',
  memUsage: 'libvirt_domain_info_memory_usage_bytes',
  memMax: 'libvirt_domain_info_maximum_memory_bytes',
  memBalloon: 'libvirt_domain_memory_stats_actual_balloon_bytes',
  vstate: 'libvirt_domain_info_vstate',
  vcpuDelay: 'libvirt_domain_vcpu_delay_seconds_total',
  swapIn: 'libvirt_domain_memory_stats_swap_in_bytes_total',
  swapOut: 'libvirt_domain_memory_stats_swap_out_bytes_total',
  blockReadBytes: 'libvirt_domain_block_stats_read_bytes_total',
  blockWriteBytes: 'libvirt_domain_block_stats_write_bytes_total',
  blockReadReqs: 'libvirt_domain_block_stats_read_requests_total',
  blockWriteReqs: 'libvirt_domain_block_stats_write_requests_total',
  blockCapacity: 'libvirt_domain_block_stats_capacity_bytes',
  blockAllocation: 'libvirt_domain_block_stats_allocation_bytes',
  ifRxBytes: 'libvirt_domain_interface_stats_receive_bytes_total',
  ifTxBytes: 'libvirt_domain_interface_stats_transmit_bytes_total',
  ifRxPkts: 'libvirt_domain_interface_stats_receive_packets_total',
  ifTxPkts: 'libvirt_domain_interface_stats_transmit_packets_total',
  poolCapacity: 'libvirt_pool_info_capacity_bytes',
  poolAllocation: 'libvirt_pool_info_allocation_bytes',
  poolAvailable: 'libvirt_pool_info_available_bytes',
  domainState: 'virtdeck_domain_state',
  domainAutostart: 'virtdeck_domain_autostart',
  hostStatus: 'virtdeck_host_status',
  hostLastSeen: 'virtdeck_host_last_seen_timestamp_seconds',
  cycle: 'virtdeck_collector_cycle_seconds',
  hostCpuSeconds: 'virtdeck_host_cpu_seconds_total',
  hostCpus: 'virtdeck_host_cpus',
  hostLoad1: 'virtdeck_host_load1',
  hostLoad5: 'virtdeck_host_load5',
  hostLoad15: 'virtdeck_host_load15',
  hostMemTotal: 'virtdeck_host_memory_total_bytes',
  hostMemUsed: 'virtdeck_host_memory_used_bytes',
  hostMemAvailable: 'virtdeck_host_memory_available_bytes',
  hostNetRx: 'virtdeck_host_network_receive_bytes_total',
  hostNetTx: 'virtdeck_host_network_transmit_bytes_total',
  hostDomains: 'virtdeck_host_domains',
} as const;

const kib = (v: number | null | undefined) => (v == null ? null : v * 1024);
const ns = (v: number | null | undefined) => (v == null ? null : v / 1e9);

/** A fresh registry holding every series of the fleet's latest cycle. */
export function buildRegistry(hosts: readonly ExposedHost[]): Registry {
  const reg = new Registry();
  const c = (name: string, help: string, labels: readonly string[] = VM_LABELS) =>
    family(reg, 'counter', name, help, labels);
  const g = (name: string, help: string, labels: readonly string[] = VM_LABELS) =>
    family(reg, 'gauge', name, help, labels);
  const S = SERIES;
  const up = g(S.up, 'Whether the host answered its last collector cycle (1) or not (0).', ['host']);
  const status = g(S.hostStatus, "1 for the host's current VirtDeck status, 0 for the others.", ['host', 'status']);
  const lastSeen = g(S.hostLastSeen, 'When the host last answered, seconds since the epoch.', ['host']);
  const cycle = g(S.cycle, 'Wall time of the last collector cycle (one SSH round trip).', ['host']);
  const cpuTime = c(S.cpuTime, 'Amount of CPU time used by the domain, in seconds.');
  const vcpus = g(S.vcpus, 'Number of virtual CPUs for the domain.');
  const memUsage = g(S.memUsage, 'Memory in use by the domain (guest balloon view, else QEMU RSS), in bytes.');
  const memMax = g(S.memMax, 'Maximum allowed memory of the domain, in bytes.');
  const memBalloon = g(S.memBalloon, 'Current balloon size of the domain, in bytes.');
  const vstate = g(S.vstate, 'Domain state as libvirt numbers it (virDomainState: 1 running, 3 paused, 5 shut off…).');
  const vcpuDelay = c(S.vcpuDelay, 'Time the vCPUs were runnable but not scheduled (steal), all vCPUs, seconds.');
  const swapIn = c(S.swapIn, 'Memory swapped in by the guest, bytes.');
  const swapOut = c(S.swapOut, 'Memory swapped out by the guest, bytes.');
  const state = g(S.domainState, '1 for the domain state and reason VirtDeck sees.', [...VM_LABELS, 'state', 'reason']);
  const autostart = g(S.domainAutostart, 'libvirt starts the domain with the host (1) or not (0).');
  const bRd = c(S.blockReadBytes, 'Number of bytes read from a block device, in bytes.', DEV_LABELS);
  const bWr = c(S.blockWriteBytes, 'Number of bytes written to a block device, in bytes.', DEV_LABELS);
  const bRdReq = c(S.blockReadReqs, 'Number of read requests from a block device.', DEV_LABELS);
  const bWrReq = c(S.blockWriteReqs, 'Number of write requests to a block device.', DEV_LABELS);
  const bCap = g(S.blockCapacity, 'Logical size of a block device, in bytes.', DEV_LABELS);
  const bAlloc = g(S.blockAllocation, 'Highest allocated offset of a block device, in bytes.', DEV_LABELS);
  const ifRx = c(S.ifRxBytes, 'Number of bytes received on a network interface, in bytes.', DEV_LABELS);
  const ifTx = c(S.ifTxBytes, 'Number of bytes transmitted on a network interface, in bytes.', DEV_LABELS);
  const ifRxP = c(S.ifRxPkts, 'Number of packets received on a network interface.', DEV_LABELS);
  const ifTxP = c(S.ifTxPkts, 'Number of packets transmitted on a network interface.', DEV_LABELS);
  const POOL = ['host', 'pool'];
  const poolCap = g(S.poolCapacity, 'Size of the storage pool, in bytes.', POOL);
  const poolAlloc = g(S.poolAllocation, 'Allocation of the storage pool, in bytes.', POOL);
  const poolAvail = g(S.poolAvailable, 'Remaining free space of the storage pool, in bytes.', POOL);
  const hCpu = c(S.hostCpuSeconds, 'Host CPU time per mode from /proc/stat, seconds.', ['host', 'mode']);
  const hCpus = g(S.hostCpus, 'CPUs online on the host.', ['host']);
  const hLoad1 = g(S.hostLoad1, 'Host 1-minute load average.', ['host']);
  const hLoad5 = g(S.hostLoad5, 'Host 5-minute load average.', ['host']);
  const hLoad15 = g(S.hostLoad15, 'Host 15-minute load average.', ['host']);
  const hMemTotal = g(S.hostMemTotal, 'Host memory, bytes.', ['host']);
  const hMemUsed = g(S.hostMemUsed, 'Host memory in use (total − available), bytes.', ['host']);
  const hMemAvail = g(S.hostMemAvailable, 'Host memory available, bytes.', ['host']);
  const hRx = c(S.hostNetRx, 'Bytes received on a host interface.', ['host', 'device']);
  const hTx = c(S.hostNetTx, 'Bytes transmitted on a host interface.', ['host', 'device']);
  const hDomains = g(S.hostDomains, 'Domains on the host per state.', ['host', 'state']);

  for (const { view, snapshot, raw } of hosts) {
    const host = view.config.name;
    const answered = view.status === 'ok' || view.status === 'degraded';
    up({ host }, answered ? 1 : 0);
    for (const s of HOST_STATUSES) status({ host, status: s }, s === view.status ? 1 : 0);
    lastSeen({ host }, view.lastSeen === null ? null : view.lastSeen / 1000);
    // a host that does not answer exposes no figures: its last counters repeated would read as
    // an idle VM (rate 0) rather than as a gap
    if (!snapshot || !answered) continue;
    cycle({ host }, snapshot.cycleMs / 1000);
    const h = snapshot.host;
    if (h) {
      hCpus({ host }, h.cpus);
      hLoad1({ host }, h.load1);
      hLoad5({ host }, h.load5);
      hLoad15({ host }, h.load15);
      hMemTotal({ host }, kib(h.memTotalKiB));
      hMemUsed({ host }, kib(h.memUsedKiB));
      hMemAvail({ host }, kib(h.memAvailableKiB));
      for (const [st, n] of Object.entries(h.vmCounts)) hDomains({ host, state: st }, n);
      for (const p of h.pools) {
        poolCap({ host, pool: p.name }, p.capacityBytes);
        poolAlloc({ host, pool: p.name }, p.allocationBytes);
        poolAvail({ host, pool: p.name }, p.availableBytes);
      }
    }
    const cpu = raw.host?.cpu;
    if (cpu) {
      for (const mode of CPU_MODES) {
        const jiffies = cpu[mode];
        hCpu({ host, mode }, jiffies == null ? null : jiffies / USER_HZ);
      }
    }
    for (const n of raw.host?.nets ?? []) {
      hRx({ host, device: n.name }, n.rxBytes);
      hTx({ host, device: n.name }, n.txBytes);
    }
    for (const vm of snapshot.vms) {
      const labels = { host, domain: vm.name, uuid: vm.uuid ?? '' };
      const stats = raw.vms.get(vm.uuid ?? `name:${vm.name}`)?.stats;
      vcpus(labels, vm.vcpus);
      memMax(labels, kib(vm.maxMemKiB));
      memBalloon(labels, kib(vm.memKiB));
      memUsage(labels, kib(vm.memUsedKiB));
      state({ ...labels, state: vm.state, reason: vm.reason }, 1);
      autostart(labels, vm.autostart === null ? null : vm.autostart ? 1 : 0);
      if (!stats) continue;
      vstate(labels, stats.stateCode);
      cpuTime(labels, ns(stats.cpuTimeNs));
      vcpuDelay(labels, ns(stats.vcpuDelayNs));
      swapIn(labels, kib(stats.balloon.swapInKiB));
      swapOut(labels, kib(stats.balloon.swapOutKiB));
      for (const b of stats.blocks) {
        const d = { ...labels, target_device: b.name };
        bRd(d, b.rdBytes);
        bWr(d, b.wrBytes);
        bRdReq(d, b.rdReqs);
        bWrReq(d, b.wrReqs);
        bCap(d, b.capacity);
        bAlloc(d, b.allocation);
      }
      for (const n of stats.nets) {
        const d = { ...labels, target_device: n.name };
        ifRx(d, n.rxBytes);
        ifTx(d, n.txBytes);
        ifRxP(d, n.rxPkts);
        ifTxP(d, n.txPkts);
      }
    }
  }
  return reg;
}

/** The text a scrape gets, and its content type. */
export async function renderMetrics(hosts: readonly ExposedHost[]): Promise<{ body: string; contentType: string }> {
  const reg = buildRegistry(hosts);
  return { body: await reg.metrics(), contentType: reg.contentType };
}
