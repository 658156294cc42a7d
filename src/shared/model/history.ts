// What history keeps: the metric names of hosts and VMs, their units, and query shapes.

export const VM_METRICS = [
  'cpu_pct',
  'steal_pct',
  'mem_pct',
  'net_rx_bps',
  'net_tx_bps',
  'disk_read_bps',
  'disk_write_bps',
  'disk_read_iops',
  'disk_write_iops',
  'state',
] as const;
export type VmMetric = (typeof VM_METRICS)[number];

export const HOST_METRICS = [
  'cpu_pct',
  'steal_pct',
  'mem_pct',
  'mem_used_kib',
  'load1',
  'net_rx_bps',
  'net_tx_bps',
  'vms_running',
] as const;
export type HostMetric = (typeof HOST_METRICS)[number];

export type SeriesTarget = { kind: 'vm'; hostId: string; uuid: string } | { kind: 'host'; hostId: string };

export type Tier = 'raw' | '1m' | '1h';

/** A series over a range, at most maxPoints long; null where no data. */
export interface SeriesResult {
  tier: Tier;
  /** Seconds each point stands for. */
  stepSec: number;
  /** Epoch ms. */
  ts: number[];
  avg: (number | null)[];
  min: (number | null)[];
  max: (number | null)[];
  /** Who answered: VirtDeck's own file (absent: local) or the configured Prometheus. */
  source?: 'local' | 'prometheus' | undefined;
  /** Prometheus was asked and failed (unreachable, no such series): the local data is shown instead. */
  sourceError?: string | undefined;
}

export interface Retention {
  rawHours: number;
  minuteDays: number;
  hourDays: number;
}

export const DEFAULT_RETENTION: Retention = { rawHours: 48, minuteDays: 14, hourDays: 365 };
