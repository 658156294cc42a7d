// VirtDeck's history: every host cycle lands as one compact head_log row (durable at once),
// hours are sealed per host into compressed raw chunks plus one-minute rollups, days into
// one-hour rollups; retention deletes old chunks a little at a time. A failing disk pauses
// history (live data goes on) and writing resumes by itself.
import type { Database as Db } from 'better-sqlite3';
import { DEFAULT_RETENTION } from '../../shared/model/history';
import type { Retention, SeriesTarget } from '../../shared/model/history';
import type { HostSnapshot } from '../../shared/model/metrics';
import { HOST_METRIC_DEFS, VM_METRIC_DEFS, scaleOf } from './catalog';
import { decodeColumns, encodeChunk, encodeColumns, quantize, dequantize, decodeChunk } from './codec';
import { describeSqliteError, openDatabase } from './database';
import type { OpenOptions, StoreProblem } from './database';
import { decodeHeadRow, encodeHeadRow, headValue } from './head-log';
import { bucketize, fromRaw } from './rollup';
import type { Agg } from './rollup';

export const TIER_RAW = 0;
export const TIER_1M = 1;
export const TIER_1H = 2;
const HOUR = 3600;
const DAY = 86400;

export interface SeriesInfo {
  id: number;
  hostId: string;
  /** null for a host series */
  uuid: string | null;
  metric: string;
  scale: number;
}

export interface StoreStatus {
  ok: boolean;
  problem: StoreProblem | null;
  message: string | null;
  /** Epoch ms of the last successful write. */
  lastWrite: number | null;
}

export interface HistoryStoreOptions extends OpenOptions {
  path: string;
  retention?: Retention;
  now?: () => number;
  /** Seconds after an hour ends before a host's hour is sealed (spreads the work over hosts). */
  sealDelaySec?: (hostId: string) => number;
}

/** A stable spread of 10–20 minutes per host, so hosts do not all seal in the same cycle. */
export function defaultSealDelay(hostId: string): number {
  let h = 0;
  for (let i = 0; i < hostId.length; i++) h = (h * 31 + hostId.charCodeAt(i)) >>> 0;
  return 600 + (h % 600);
}

export class HistoryStore {
  readonly db: Db;
  status: StoreStatus = { ok: true, problem: null, message: null, lastWrite: null };
  retention: Retention;
  private readonly now: () => number;
  private readonly sealDelay: (hostId: string) => number;
  private readonly seriesByKey = new Map<string, SeriesInfo>();
  private readonly seriesById = new Map<number, SeriesInfo>();
  private readonly vms = new Map<string, { id: number; name: string }>();
  private readonly hostsSeen = new Set<string>();
  /** Oldest head_log second per host (undefined: not looked up yet; null: empty). */
  private readonly oldestHead = new Map<string, number | null>();
  /** Latest value of every series, for the grids: series id → [ts, value]. */
  readonly latest = new Map<number, [number, number | null]>();
  private lastRetention = 0;
  private readonly stmt: ReturnType<typeof prepareStatements>;

  constructor(private readonly options: HistoryStoreOptions) {
    this.db = openDatabase(options.path, options);
    this.now = options.now ?? Date.now;
    this.sealDelay = options.sealDelaySec ?? defaultSealDelay;
    this.retention = this.loadRetention(options.retention);
    this.stmt = prepareStatements(this.db);
    this.loadCatalog();
  }

  private loadRetention(given?: Retention): Retention {
    const row = this.db.prepare("SELECT value FROM settings WHERE key = 'retention'").get() as
      { value: string } | undefined;
    if (given) return given;
    return row ? { ...DEFAULT_RETENTION, ...(JSON.parse(row.value) as Partial<Retention>) } : DEFAULT_RETENTION;
  }

  setRetention(r: Retention): void {
    this.db.prepare("INSERT OR REPLACE INTO settings (key, value) VALUES ('retention', ?)").run(JSON.stringify(r));
    this.retention = r;
  }

  private loadCatalog(): void {
    const rows = this.db
      .prepare('SELECT s.id, s.host_id AS hostId, v.uuid, s.metric FROM series s LEFT JOIN vms v ON v.id = s.vm_id')
      .all() as { id: number; hostId: string; uuid: string | null; metric: string }[];
    for (const r of rows) {
      const info: SeriesInfo = { ...r, scale: scaleOf(r.uuid === null ? 'host' : 'vm', r.metric) };
      this.seriesById.set(r.id, info);
      this.seriesByKey.set(seriesKey(r.hostId, r.uuid, r.metric), info);
    }
    for (const v of this.db.prepare('SELECT id, host_id AS hostId, uuid, name FROM vms').all() as {
      id: number;
      hostId: string;
      uuid: string;
      name: string;
    }[]) {
      this.vms.set(`${v.hostId}|${v.uuid}`, { id: v.id, name: v.name });
    }
    for (const h of this.db.prepare('SELECT id FROM hosts').all() as { id: string }[]) this.hostsSeen.add(h.id);
    // the latest row of each host restores "last values" after a restart
    const heads = this.db
      .prepare(
        'SELECT h.host_id AS hostId, h.ts, h.data FROM head_log h JOIN (SELECT host_id, MAX(ts) AS ts FROM head_log GROUP BY host_id) m ON m.host_id = h.host_id AND m.ts = h.ts',
      )
      .all() as { hostId: string; ts: number; data: Buffer }[];
    for (const h of heads) {
      for (const [id, q] of decodeHeadRow(h.data)) {
        const s = this.seriesById.get(id);
        if (s) this.latest.set(id, [h.ts, dequantize(q, s.scale)]);
      }
    }
  }

  private series(hostId: string, vmId: number | null, uuid: string | null, metric: string): SeriesInfo {
    const key = seriesKey(hostId, uuid, metric);
    let s = this.seriesByKey.get(key);
    if (!s) {
      const id = Number(this.stmt.insertSeries.run(hostId, vmId, metric).lastInsertRowid);
      s = { id, hostId, uuid, metric, scale: scaleOf(uuid === null ? 'host' : 'vm', metric) };
      this.seriesByKey.set(key, s);
      this.seriesById.set(id, s);
    }
    return s;
  }

  private vm(hostId: string, uuid: string, name: string, ts: number): number {
    const key = `${hostId}|${uuid}`;
    const known = this.vms.get(key);
    if (!known) {
      const id = Number(this.stmt.insertVm.run(hostId, uuid, name, ts, ts).lastInsertRowid);
      this.stmt.insertName.run(id, ts, name);
      this.vms.set(key, { id, name });
      return id;
    }
    if (known.name !== name) {
      this.stmt.renameVm.run(name, ts, known.id);
      this.stmt.insertName.run(known.id, ts, name);
      known.name = name;
    }
    return known.id;
  }

  /** Records one host cycle. Never throws: a failure pauses history and is shown in status. */
  write(snapshot: HostSnapshot, hostName = snapshot.hostId): void {
    this.writeBatch([{ snapshot, hostName }]);
  }

  /**
   * Records several host cycles in one transaction (one commit, pages shared): how the app
   * writes, a flush interval's worth at a time.
   */
  writeBatch(items: readonly { snapshot: HostSnapshot; hostName?: string }[]): void {
    if (items.length === 0) return;
    try {
      this.db.transaction(() => {
        for (const { snapshot, hostName } of items) this.insertCycle(snapshot, hostName ?? snapshot.hostId);
      })();
      this.status = { ok: true, problem: null, message: null, lastWrite: this.now() };
      for (const hostId of new Set(items.map((i) => i.snapshot.hostId))) this.maintain(hostId);
    } catch (e) {
      const err = describeSqliteError(e, this.options.path);
      this.status = { ...this.status, ok: false, problem: err.problem, message: err.message };
    }
  }

  private insertCycle(snapshot: HostSnapshot, hostName: string): void {
    const ts = Math.round(snapshot.ts / 1000);
    if (!this.hostsSeen.has(snapshot.hostId) || ts % 60 < 10) {
      this.stmt.upsertHost.run(snapshot.hostId, hostName, ts, ts);
      this.hostsSeen.add(snapshot.hostId);
    }
    const pairs: [number, number][] = [];
    const add = (s: SeriesInfo, v: number | null) => {
      const q = quantize(v, s.scale);
      this.latest.set(s.id, [ts, q === null ? null : dequantize(q, s.scale)]);
      if (q !== null) pairs.push([s.id, q]);
    };
    if (snapshot.host) {
      for (const [metric, def] of Object.entries(HOST_METRIC_DEFS)) {
        add(this.series(snapshot.hostId, null, null, metric), def.pick(snapshot.host));
      }
    }
    for (const vm of snapshot.vms) {
      if (!vm.uuid) continue; // not identified yet: its UUID arrives in the same or next cycle
      const vmId = this.vm(snapshot.hostId, vm.uuid, vm.name, ts);
      for (const [metric, def] of Object.entries(VM_METRIC_DEFS)) {
        add(this.series(snapshot.hostId, vmId, vm.uuid, metric), def.pick(vm));
      }
    }
    this.stmt.insertHead.run(snapshot.hostId, ts, encodeHeadRow(pairs));
    if (this.oldestHead.get(snapshot.hostId) == null) this.oldestHead.set(snapshot.hostId, ts);
  }

  /** Seals a host's due hour and runs a small retention step. Bounded work per call. */
  maintain(hostId: string): void {
    const nowSec = Math.floor(this.now() / 1000);
    let oldest = this.oldestHead.get(hostId);
    if (oldest === undefined) {
      oldest = (this.stmt.headOldest.get(hostId) as { ts: number | null }).ts;
      this.oldestHead.set(hostId, oldest);
    }
    if (oldest !== null && oldest !== undefined) {
      const hour = Math.floor(oldest / HOUR) * HOUR;
      if (nowSec >= hour + HOUR + this.sealDelay(hostId)) this.sealHour(hostId, hour);
    }
    if (nowSec - this.lastRetention >= 10) {
      this.lastRetention = nowSec;
      this.retentionStep(nowSec);
    }
  }

  /** Seals [hour, hour+3600) of one host: raw and one-minute chunks, and the day when it ends. */
  sealHour(hostId: string, hour: number): void {
    const rows = this.stmt.headRange.all(hostId, hour, hour + HOUR) as { ts: number; data: Buffer }[];
    const perSeries = new Map<number, { ts: number[]; values: number[] }>();
    for (const r of rows) {
      for (const [id, q] of decodeHeadRow(r.data)) {
        const s = this.seriesById.get(id);
        if (!s) continue;
        let p = perSeries.get(id);
        if (!p) perSeries.set(id, (p = { ts: [], values: [] }));
        p.ts.push(r.ts);
        p.values.push(dequantize(q, s.scale));
      }
    }
    this.db.transaction(() => {
      for (const [id, p] of perSeries) {
        const s = this.seriesById.get(id) as SeriesInfo;
        const merged = this.mergeRaw(id, hour, p, s.scale);
        this.stmt.chunkPut.run(id, TIER_RAW, hour, merged.ts.at(-1), merged.ts.length, encodeChunk(merged, s.scale));
        const m = bucketize(fromRaw(merged.ts, merged.values), 60);
        this.putAgg(id, TIER_1M, hour, m, s.scale);
        if ((hour + HOUR) % DAY === 0) this.sealDay(id, hour + HOUR - DAY, s.scale);
      }
      this.stmt.deleteHead.run(hostId, hour, hour + HOUR);
    })();
    const next = (this.stmt.headOldest.get(hostId) as { ts: number | null }).ts;
    this.oldestHead.set(hostId, next);
  }

  /** Late samples for an hour already sealed are merged into its chunk, not lost. */
  private mergeRaw(id: number, hour: number, p: { ts: number[]; values: (number | null)[] }, scale: number) {
    const existing = this.stmt.chunkGet.get(id, TIER_RAW, hour) as { data: Buffer } | undefined;
    if (!existing) return p;
    const old = decodeChunk(existing.data, scale);
    const map = new Map<number, number | null>();
    old.ts.forEach((t, i) => map.set(t, old.values[i] ?? null));
    p.ts.forEach((t, i) => map.set(t, p.values[i] ?? null));
    const ts = [...map.keys()].sort((a, b) => a - b);
    return { ts, values: ts.map((t) => map.get(t) ?? null) };
  }

  private putAgg(id: number, tier: number, start: number, a: Agg, scale: number): void {
    if (a.ts.length === 0) return;
    const data = encodeColumns({ ts: a.ts, columns: [a.min, a.avg, a.max, a.last, a.count] }, scale);
    this.stmt.chunkPut.run(id, tier, start, a.ts.at(-1), a.ts.length, data);
  }

  private sealDay(id: number, day: number, scale: number): void {
    const parts = this.readAgg(id, TIER_1M, day, day + DAY, scale);
    this.putAgg(id, TIER_1H, day, bucketize(parts, HOUR), scale);
  }

  /** Stored rollup chunks of a tier as one Agg, clipped to [from, to). */
  readAgg(id: number, tier: number, from: number, to: number, scale: number): Agg {
    const rows = this.stmt.chunkRange.all(id, tier, to, from) as { data: Buffer }[];
    const out: Agg = { ts: [], min: [], avg: [], max: [], last: [], count: [] };
    for (const r of rows) {
      const c = decodeColumns(r.data, scale);
      // counts are stored at the metric's scale; they are whole numbers either way
      const [min = [], avg = [], max = [], last = [], count = []] = c.columns;
      c.ts.forEach((t, i) => {
        if (t < from || t >= to) return;
        out.ts.push(t);
        out.min.push(min[i] ?? null);
        out.avg.push(avg[i] ?? null);
        out.max.push(max[i] ?? null);
        out.last.push(last[i] ?? null);
        out.count.push(Math.round(count[i] ?? 0));
      });
    }
    return out;
  }

  /** Raw samples of one series in [from, to): sealed chunks, then the head. */
  readRaw(s: SeriesInfo, from: number, to: number): { ts: number[]; values: (number | null)[] } {
    const ts: number[] = [];
    const values: (number | null)[] = [];
    for (const r of this.stmt.chunkRange.all(s.id, TIER_RAW, to, from) as { data: Buffer }[]) {
      const c = decodeChunk(r.data, s.scale);
      c.ts.forEach((t, i) => {
        if (t >= from && t < to) {
          ts.push(t);
          values.push(c.values[i] ?? null);
        }
      });
    }
    for (const r of this.stmt.headRange.all(s.hostId, from, to) as { ts: number; data: Buffer }[]) {
      if (ts.length && r.ts <= (ts.at(-1) as number)) continue; // sealed already (late merge)
      const q = headValue(r.data, s.id);
      ts.push(r.ts);
      values.push(q === undefined ? null : dequantize(q, s.scale));
    }
    return { ts, values };
  }

  /** Deletes expired chunks and head rows in small batches, never blocking for long. */
  retentionStep(nowSec: number, batch = 2000): number {
    const r = this.retention;
    const cut: [number, number][] = [
      [TIER_RAW, nowSec - r.rawHours * HOUR],
      [TIER_1M, nowSec - r.minuteDays * DAY],
      [TIER_1H, nowSec - r.hourDays * DAY],
    ];
    let deleted = 0;
    for (const [tier, before] of cut) {
      deleted += this.db
        .prepare('DELETE FROM chunks WHERE id IN (SELECT id FROM chunks WHERE tier = ? AND end_ts < ? LIMIT ?)')
        .run(tier, before, batch).changes;
    }
    // head rows of hosts that stopped reporting long ago (never sealed)
    deleted += this.db
      .prepare('DELETE FROM head_log WHERE id IN (SELECT id FROM head_log WHERE ts < ? LIMIT ?)')
      .run(nowSec - r.rawHours * HOUR, batch).changes;
    return deleted;
  }

  findSeries(target: SeriesTarget, metric: string): SeriesInfo | undefined {
    return this.seriesByKey.get(seriesKey(target.hostId, target.kind === 'vm' ? target.uuid : null, metric));
  }

  allSeries(): IterableIterator<SeriesInfo> {
    return this.seriesById.values();
  }

  vmName(hostId: string, uuid: string): string | undefined {
    return this.vms.get(`${hostId}|${uuid}`)?.name;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

export function seriesKey(hostId: string, uuid: string | null, metric: string): string {
  return `${hostId}|${uuid ?? ''}|${metric}`;
}

/** Every statement the store runs often, prepared once. */
function prepareStatements(db: Db) {
  return {
    upsertHost: db.prepare(
      'INSERT INTO hosts (id, name, first_seen, last_seen) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name, last_seen = excluded.last_seen',
    ),
    insertVm: db.prepare('INSERT INTO vms (host_id, uuid, name, first_seen, last_seen) VALUES (?, ?, ?, ?, ?)'),
    renameVm: db.prepare('UPDATE vms SET name = ?, last_seen = ? WHERE id = ?'),
    insertName: db.prepare('INSERT OR REPLACE INTO vm_names (vm_id, since, name) VALUES (?, ?, ?)'),
    insertSeries: db.prepare('INSERT INTO series (host_id, vm_id, metric) VALUES (?, ?, ?)'),
    insertHead: db.prepare('INSERT OR REPLACE INTO head_log (host_id, ts, data) VALUES (?, ?, ?)'),
    headRange: db.prepare('SELECT ts, data FROM head_log WHERE host_id = ? AND ts >= ? AND ts < ? ORDER BY ts'),
    headOldest: db.prepare('SELECT MIN(ts) AS ts FROM head_log WHERE host_id = ?'),
    deleteHead: db.prepare('DELETE FROM head_log WHERE host_id = ? AND ts >= ? AND ts < ?'),
    chunkGet: db.prepare('SELECT data FROM chunks WHERE series_id = ? AND tier = ? AND start_ts = ?'),
    chunkPut: db.prepare(
      'INSERT OR REPLACE INTO chunks (series_id, tier, start_ts, end_ts, count, data) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    chunkRange: db.prepare(
      'SELECT start_ts, data FROM chunks WHERE series_id = ? AND tier = ? AND start_ts < ? AND end_ts >= ? ORDER BY start_ts',
    ),
  };
}
