// How a threshold rule reads its figure from a VM, host or pool (null: not known this cycle,
// which never counts as 0).
import type { HostFigures, PoolFigures, VmFigures } from '../../shared/model/metrics';
import type { RuleTargetKind } from '../../shared/model/warn';

type Read<T> = (x: T) => number | null;

const sum = (a: number | null, b: number | null) => (a === null && b === null ? null : (a ?? 0) + (b ?? 0));

const VM: Record<string, Read<VmFigures>> = {
  cpu_pct: (v) => v.cpuPct,
  mem_pct: (v) => v.memPct,
  steal_pct: (v) => v.stealPct,
  mem_used_kib: (v) => v.memUsedKiB,
  net_rx_bps: (v) => v.netRxBps,
  net_tx_bps: (v) => v.netTxBps,
  net_bps: (v) => sum(v.netRxBps, v.netTxBps),
  disk_read_bps: (v) => v.diskReadBps,
  disk_write_bps: (v) => v.diskWriteBps,
  disk_bps: (v) => sum(v.diskReadBps, v.diskWriteBps),
  disk_read_iops: (v) => v.diskReadIops,
  disk_write_iops: (v) => v.diskWriteIops,
  disk_iops: (v) => sum(v.diskReadIops, v.diskWriteIops),
  swap_in_kibps: (v) => v.swapInKiBps,
  swap_out_kibps: (v) => v.swapOutKiBps,
};

const nicSum = (h: HostFigures, pick: (n: HostFigures['nics'][number]) => number | null) => {
  let total: number | null = null;
  for (const n of h.nics) total = sum(total, pick(n));
  return total;
};

const HOST: Record<string, Read<HostFigures>> = {
  cpu_pct: (h) => h.cpuPct,
  mem_pct: (h) => h.memPct,
  steal_pct: (h) => h.stealPct,
  load1: (h) => h.load1,
  load5: (h) => h.load5,
  load15: (h) => h.load15,
  load_per_cpu: (h) => (h.load1 !== null && h.cpus ? h.load1 / h.cpus : null),
  mem_available_kib: (h) => h.memAvailableKiB,
  net_rx_bps: (h) => nicSum(h, (n) => n.rxBps),
  net_tx_bps: (h) => nicSum(h, (n) => n.txBps),
  net_bps: (h) => nicSum(h, (n) => sum(n.rxBps, n.txBps)),
  vms_running: (h) => h.vmCounts['running'] ?? 0,
};

const POOL: Record<string, Read<PoolFigures>> = {
  used_pct: (p) => p.usedPct,
  available_bytes: (p) => p.availableBytes,
};

export const READERS = { vm: VM, host: HOST, pool: POOL } as const satisfies Record<
  RuleTargetKind,
  Record<string, Read<never>>
>;

/** The reader of one metric; rules are validated on input, so an unknown name reads null. */
export function readerFor(kind: 'vm', metric: string): Read<VmFigures>;
export function readerFor(kind: 'host', metric: string): Read<HostFigures>;
export function readerFor(kind: 'pool', metric: string): Read<PoolFigures>;
export function readerFor(kind: RuleTargetKind, metric: string): Read<never> {
  return (READERS[kind] as Record<string, Read<never>>)[metric] ?? (() => null);
}
