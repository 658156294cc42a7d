// Reading history back: a series over a range at a resolution (the tier is chosen from the
// range and the points asked for, and never returns more than that many), the latest value of
// every VM for the grids, top-N VMs over a recent window, and CSV export.
import { stringify } from 'csv-stringify/sync';
import type { SeriesResult, SeriesTarget, Tier } from '../../shared/model/history';
import { dequantize } from './codec';
import { decodeHeadRow } from './head-log';
import { TIER_1H, TIER_1M } from './history-store';
import type { HistoryStore, SeriesInfo } from './history-store';
import { bucketize, concatAgg, emptyAgg, fromRaw } from './rollup';
import type { Agg } from './rollup';

export const DEFAULT_MAX_POINTS = 1500;

/**
 * The coarsest tier whose step is no coarser than the step asked for (span / maxPoints) within
 * 10 %, among the tiers that still hold `from`: 24 h in 1,500 points (57.6 s) reads the 1,440
 * stored one-minute rollups instead of decoding 8,640 raw samples only to average them again.
 */
const TOLERANCE = 1.1;
function pickTier(store: HistoryStore, from: number, to: number, maxPoints: number, nowSec: number): Tier {
  const want = ((to - from) / maxPoints) * TOLERANCE;
  const r = store.retention;
  if (want < 60 && from >= nowSec - r.rawHours * 3600) return 'raw';
  if (want < 3600 && from >= nowSec - r.minuteDays * 86400) return '1m';
  return '1h';
}

const nextAfter = (a: Agg, step: number, fallback: number) => (a.ts.length ? (a.ts.at(-1) as number) + step : fallback);

/** One-minute buckets of [from, to): sealed rollups, then the unsealed rest from raw. */
function minuteAgg(store: HistoryStore, s: SeriesInfo, from: number, to: number): Agg {
  const stored = store.readAgg(s.id, TIER_1M, from, to, s.scale);
  const restFrom = nextAfter(stored, 60, from);
  if (restFrom >= to) return stored;
  const raw = store.readRaw(s, restFrom, to);
  return concatAgg([stored, bucketize(fromRaw(raw.ts, raw.values), 60)]);
}

function hourAgg(store: HistoryStore, s: SeriesInfo, from: number, to: number): Agg {
  const stored = store.readAgg(s.id, TIER_1H, from, to, s.scale);
  const restFrom = nextAfter(stored, 3600, from);
  if (restFrom >= to) return stored;
  return concatAgg([stored, bucketize(minuteAgg(store, s, restFrom, to), 3600)]);
}

export function querySeries(
  store: HistoryStore,
  target: SeriesTarget,
  metric: string,
  fromMs: number,
  toMs: number,
  maxPoints = DEFAULT_MAX_POINTS,
  nowMs = Date.now(),
): SeriesResult {
  const from = Math.floor(fromMs / 1000);
  const to = Math.ceil(toMs / 1000);
  const points = Math.max(1, Math.floor(maxPoints));
  const tier = pickTier(store, from, to, points, Math.floor(nowMs / 1000));
  const s = store.findSeries(target, metric);
  let agg = emptyAgg();
  let step = tier === 'raw' ? 0 : tier === '1m' ? 60 : 3600;
  if (s && to > from) {
    if (tier === 'raw') {
      const raw = store.readRaw(s, from, to);
      // within the points asked for, the samples are the answer (no buckets to build)
      if (raw.ts.length <= points) return rawResult(raw.ts, raw.values);
      agg = fromRaw(raw.ts, raw.values);
    } else agg = tier === '1m' ? minuteAgg(store, s, from, to) : hourAgg(store, s, from, to);
  }
  if (agg.ts.length > points) {
    const base = Math.max(step, 1);
    step = Math.ceil((to - from) / points / base) * base;
    agg = bucketize(agg, step);
    while (agg.ts.length > points) agg = bucketize(agg, (step *= 2));
  }
  return {
    tier,
    stepSec: step,
    ts: agg.ts.map((t) => t * 1000),
    avg: agg.avg,
    min: agg.min,
    max: agg.max,
  };
}

/** Raw samples as a result: min, avg and max are the samples themselves (one array, shared). */
function rawResult(ts: readonly number[], values: (number | null)[]): SeriesResult {
  const ms = new Array<number>(ts.length);
  for (let i = 0; i < ts.length; i++) ms[i] = (ts[i] as number) * 1000;
  return { tier: 'raw', stepSec: 0, ts: ms, avg: values, min: values, max: values };
}

export interface VmValue {
  hostId: string;
  uuid: string;
  name: string;
  value: number | null;
  /** Epoch ms of the value. */
  ts: number;
}

/** The latest stored value of a VM metric for every VM, in one pass over memory. */
export function lastValues(store: HistoryStore, metric: string): VmValue[] {
  const out: VmValue[] = [];
  for (const [hostId, row] of store.lastRows) {
    const { ids, qs } = row;
    const ts = row.ts * 1000;
    for (let k = 0; k < row.n; k++) {
      const s = store.seriesInfo(ids[k] as number);
      if (s === undefined || s.uuid === null || s.metric !== metric) continue;
      const name = store.vmName(hostId, s.uuid) ?? s.uuid;
      out.push({ hostId, uuid: s.uuid, name, value: dequantize(qs[k] as number, s.scale), ts });
    }
  }
  return out;
}

/** The n VMs with the highest average of a metric over the last windowSec (≤ the seal delay). */
export function topVms(
  store: HistoryStore,
  metric: string,
  windowSec: number,
  n: number,
  nowMs = Date.now(),
): VmValue[] {
  const since = Math.floor(nowMs / 1000) - windowSec;
  const rows = store.headRowsSince(since);
  const acc = new Map<number, { sum: number; count: number; ts: number }>();
  const wanted = new Map<number, SeriesInfo>();
  for (const s of store.allSeries()) if (s.uuid !== null && s.metric === metric) wanted.set(s.id, s);
  for (const r of rows) {
    for (const [id, q] of decodeHeadRow(r.data)) {
      const s = wanted.get(id);
      if (!s) continue;
      const a = acc.get(id) ?? { sum: 0, count: 0, ts: 0 };
      a.sum += dequantize(q, s.scale);
      a.count++;
      a.ts = Math.max(a.ts, r.ts);
      acc.set(id, a);
    }
  }
  return [...acc.entries()]
    .map(([id, a]) => {
      const s = wanted.get(id) as SeriesInfo;
      const uuid = s.uuid as string;
      return {
        hostId: s.hostId,
        uuid,
        name: store.vmName(s.hostId, uuid) ?? uuid,
        value: a.sum / a.count,
        ts: a.ts * 1000,
      };
    })
    .sort((a, b) => (b.value ?? 0) - (a.value ?? 0))
    .slice(0, n);
}

export interface ExportRequest {
  series: { target: SeriesTarget; metric: string }[];
  fromMs: number;
  toMs: number;
  maxPoints?: number;
}

/** CSV of the chosen series over a range: one row per point, RFC 4180 quoting. */
export function exportCsv(store: HistoryStore, req: ExportRequest, nowMs = Date.now()): string {
  const rows: (string | number | null)[][] = [['time', 'host', 'vm', 'uuid', 'metric', 'avg', 'min', 'max']];
  for (const { target, metric } of req.series) {
    const r = querySeries(store, target, metric, req.fromMs, req.toMs, req.maxPoints ?? 100_000, nowMs);
    const vm = target.kind === 'vm' ? (store.vmName(target.hostId, target.uuid) ?? '') : '';
    const uuid = target.kind === 'vm' ? target.uuid : '';
    r.ts.forEach((t, i) => {
      rows.push([
        new Date(t).toISOString(),
        target.hostId,
        vm,
        uuid,
        metric,
        r.avg[i] ?? null,
        r.min[i] ?? null,
        r.max[i] ?? null,
      ]);
    });
  }
  return stringify(rows);
}
