// VirtDeck's figures as PromQL over the series /metrics exposes (exposition.ts), in VirtDeck's
// units (percent, bytes/s, operations/s, KiB), and the step of a range query. One mapping serves
// the history source (a selector for one VM or host) and the rules export (no selector: every
// target, grouped by the target's labels).
import type { RuleTargetKind } from '../../shared/model/warn';
import { SERIES as S } from './exposition';

/** Prometheus refuses range queries of more than 11,000 points per series. */
export const PROMETHEUS_MAX_POINTS = 11_000;

/** A label value as a PromQL string literal. */
export function promString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** Label matchers of one target: a VM by UUID, a host or pool by host name (and pool name). */
export type Selector = readonly string[];

export function vmSelector(uuid: string): Selector {
  return [`uuid=${promString(uuid)}`];
}

export function hostSelector(hostName: string): Selector {
  return [`host=${promString(hostName)}`];
}

const sel = (name: string, s: Selector, extra: readonly string[] = []) => {
  const m = [...s, ...extra];
  return m.length ? `${name}{${m.join(',')}}` : name;
};
type Expr = (s: Selector, window: string) => string;

const VM_BY = 'host, domain, uuid';
/**
 * Counters summed per target; several counters (receive + transmit) as a sum of sums — one
 * rate() over a `__name__=~` selector would hold rx and tx with the same labels once rate()
 * drops the name, which Prometheus refuses.
 */
const summedRates =
  (by: string, names: readonly string[]): Expr =>
  (s, w) =>
    names.map((n) => `sum by (${by}) (rate(${sel(n, s)}[${w}]))`).join(' + ');
const vmRate = (names: readonly string[]): Expr => summedRates(VM_BY, names);
const perVcpuPct =
  (counter: string): Expr =>
  (s, w) =>
    `100 * rate(${sel(counter, s)}[${w}]) / ${sel(S.vcpus, s)}`;

const VM: Record<string, Expr> = {
  cpu_pct: perVcpuPct(S.cpuTime),
  steal_pct: perVcpuPct(S.vcpuDelay),
  mem_pct: (s) => `100 * ${sel(S.memUsage, s)} / ${sel(S.memBalloon, s)}`,
  mem_used_kib: (s) => `${sel(S.memUsage, s)} / 1024`,
  net_rx_bps: vmRate([S.ifRxBytes]),
  net_tx_bps: vmRate([S.ifTxBytes]),
  net_bps: vmRate([S.ifRxBytes, S.ifTxBytes]),
  disk_read_bps: vmRate([S.blockReadBytes]),
  disk_write_bps: vmRate([S.blockWriteBytes]),
  disk_bps: vmRate([S.blockReadBytes, S.blockWriteBytes]),
  disk_read_iops: vmRate([S.blockReadReqs]),
  disk_write_iops: vmRate([S.blockWriteReqs]),
  disk_iops: vmRate([S.blockReadReqs, S.blockWriteReqs]),
  swap_in_kibps: (s, w) => `rate(${sel(S.swapIn, s)}[${w}]) / 1024`,
  swap_out_kibps: (s, w) => `rate(${sel(S.swapOut, s)}[${w}]) / 1024`,
  // VirtDeck's state index (VM_STATES) is libvirt's code − 1, with 0 (no state) last
  state: (s) => `(${sel(S.vstate, s)} + 7) % 8`,
};

const hostCpu = (s: Selector, w: string, extra: readonly string[] = []) =>
  `sum by (host) (rate(${sel(S.hostCpuSeconds, s, extra)}[${w}]))`;

const HOST: Record<string, Expr> = {
  cpu_pct: (s, w) => `100 * (1 - ${hostCpu(s, w, ['mode=~"idle|iowait"'])} / ${hostCpu(s, w)})`,
  steal_pct: (s, w) => `100 * ${hostCpu(s, w, ['mode="steal"'])} / ${hostCpu(s, w)}`,
  mem_pct: (s) => `100 * ${sel(S.hostMemUsed, s)} / ${sel(S.hostMemTotal, s)}`,
  mem_used_kib: (s) => `${sel(S.hostMemUsed, s)} / 1024`,
  mem_available_kib: (s) => `${sel(S.hostMemAvailable, s)} / 1024`,
  load1: (s) => sel(S.hostLoad1, s),
  load5: (s) => sel(S.hostLoad5, s),
  load15: (s) => sel(S.hostLoad15, s),
  load_per_cpu: (s) => `${sel(S.hostLoad1, s)} / ${sel(S.hostCpus, s)}`,
  net_rx_bps: summedRates('host', [S.hostNetRx]),
  net_tx_bps: summedRates('host', [S.hostNetTx]),
  net_bps: summedRates('host', [S.hostNetRx, S.hostNetTx]),
  // no running domain is no series: 0 then, as VirtDeck counts it
  vms_running: (s) =>
    `sum by (host) (${sel(S.hostDomains, s, ['state="running"'])}) or sum by (host) (0 * ${sel(S.up, s)})`,
};

const POOL: Record<string, Expr> = {
  used_pct: (s) => `100 * ${sel(S.poolAllocation, s)} / ${sel(S.poolCapacity, s)}`,
  available_bytes: (s) => sel(S.poolAvailable, s),
};

const EXPRS: Record<RuleTargetKind, Record<string, Expr>> = { vm: VM, host: HOST, pool: POOL };

/** The PromQL of a VirtDeck figure, or null when it has none. `window` is a rate window (`1m`, `300s`). */
export function metricExpr(kind: RuleTargetKind, metric: string, selector: Selector, window = '1m'): string | null {
  const e = EXPRS[kind][metric];
  return e ? e(selector, window) : null;
}

export interface RangePlan {
  /** Epoch seconds, a multiple of step. */
  start: number;
  end: number;
  step: number;
  /** The rate window: at least a minute, and the step, so a point averages its whole step. */
  window: string;
}

/**
 * The range query for [fromMs, toMs] returning at most maxPoints points: Prometheus returns
 * floor((end − start) / step) + 1 of them, so step ≥ span / (maxPoints − 1); the start is
 * aligned to the step so successive refreshes land on the same grid.
 */
export function rangePlan(fromMs: number, toMs: number, maxPoints: number, minStepSec = 1): RangePlan {
  const from = Math.floor(fromMs / 1000);
  const end = Math.floor(toMs / 1000);
  const span = Math.max(0, end - from);
  const asked = Number.isFinite(maxPoints) ? Math.floor(maxPoints) : PROMETHEUS_MAX_POINTS;
  const points = Math.max(1, Math.min(asked, PROMETHEUS_MAX_POINTS));
  const step = Math.max(1, minStepSec, points === 1 ? span + 1 : Math.ceil(span / (points - 1)));
  const start = Math.min(end, Math.ceil(from / step) * step);
  return { start, end, step, window: `${Math.max(60, step)}s` };
}
