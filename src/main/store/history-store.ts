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

/** Series sealed per host per write: sealing an hour is spread over many cycles. */
export const SEAL_SLICE = 64;

/**
 * A stable spread of 10–50 minutes per host, so sealing work is spread over the hour rather
 * than all hosts sealing in the same cycles (the head keeps at most ~2 h per host).
 */
export function defaultSealDelay(hostId: string): number {
  let h = 0;
  for (let i = 0; i < hostId.length; i++) h = (h * 31 + hostId.charCodeAt(i)) >>> 0;
  return 600 + (h % 2400);
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
  /** The newest cycle of every host (series ids and scaled values), for "last values". */
  readonly lastRows = new Map<string, { ts: number; ids: number[]; qs: number[] }>();
  /** Series ids of each VM (hostId|uuid) and host, in catalog order: the write path's lookup. */
  private readonly idsByVm = new Map<string, number[]>();
  private readonly idsByHost = new Map<string, number[]>();
  private lastRetention = 0;
  /** Hours being sealed a slice at a time, per host. */
  private readonly sealing = new Map<
    string,
    { hour: number; perSeries: Map<number, { ts: number[]; values: number[] }>; pending: number[]; rowTs: number[] }
  >();
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
      const row = decodeHeadRow(h.data);
      this.lastRows.set(h.hostId, { ts: h.ts, ids: [...row.keys()], qs: [...row.values()] });
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
    const hostId = snapshot.hostId;
    if (!this.hostsSeen.has(hostId) || ts % 60 < 10) {
      this.stmt.upsertHost.run(hostId, hostName, ts, ts);
      this.hostsSeen.add(hostId);
    }
    const ids: number[] = [];
    const qs: number[] = [];
    const add = (id: number, v: number | null, scale: number) => {
      const q = quantize(v, scale);
      if (q === null) return;
      ids.push(id);
      qs.push(q);
    };
    if (snapshot.host) {
      let hostIds = this.idsByHost.get(hostId);
      if (!hostIds) {
        hostIds = HOST_DEFS.map(([metric]) => this.series(hostId, null, null, metric).id);
        this.idsByHost.set(hostId, hostIds);
      }
      for (let k = 0; k < HOST_DEFS.length; k++) {
        const [, def] = HOST_DEFS[k] as (typeof HOST_DEFS)[number];
        add(hostIds[k] as number, def.pick(snapshot.host), def.scale);
      }
    }
    for (const vm of snapshot.vms) {
      if (!vm.uuid) continue; // not identified yet: its UUID arrives in the same or next cycle
      const key = `${hostId}|${vm.uuid}`;
      let vmIds = this.idsByVm.get(key);
      const known = this.vms.get(key);
      if (!vmIds || !known || known.name !== vm.name) {
        const vmId = this.vm(hostId, vm.uuid, vm.name, ts);
        vmIds = VM_DEFS.map(([metric]) => this.series(hostId, vmId, vm.uuid, metric).id);
        this.idsByVm.set(key, vmIds);
      }
      for (let k = 0; k < VM_DEFS.length; k++) {
        const [, def] = VM_DEFS[k] as (typeof VM_DEFS)[number];
        add(vmIds[k] as number, def.pick(vm), def.scale);
      }
    }
    this.lastRows.set(hostId, { ts, ids, qs });
    this.stmt.insertHead.run(hostId, ts, encodeHeadRow(ids, qs));
    if (this.oldestHead.get(hostId) == null) this.oldestHead.set(hostId, ts);
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
      if (nowSec >= hour + HOUR + this.sealDelay(hostId)) this.sealStep(hostId, hour, SEAL_SLICE);
    }
    if (nowSec - this.lastRetention >= 10) {
      this.lastRetention = nowSec;
      this.retentionStep(nowSec);
    }
  }

  /** Seals [hour, hour+3600) of one host completely (tests, shutdown). */
  sealHour(hostId: string, hour: number): void {
    while (!this.sealStep(hostId, hour, Infinity));
  }

  /**
   * Seals up to `slice` series of a host's hour: raw and one-minute chunks (and the day when
   * the hour ends one). The hour's head rows are decoded once and kept until every series is
   * sealed; then exactly those rows are deleted (rows that arrived meanwhile stay for the next
   * pass, which merges them). Returns true when the hour is done.
   */
  sealStep(hostId: string, hour: number, slice: number): boolean {
    let job = this.sealing.get(hostId);
    if (!job || job.hour !== hour) {
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
      job = { hour, perSeries, pending: [...perSeries.keys()], rowTs: rows.map((r) => r.ts) };
      this.sealing.set(hostId, job);
    }
    const ids = job.pending.splice(0, slice === Infinity ? job.pending.length : slice);
    const done = job.pending.length === 0;
    const j = job;
    this.db.transaction(() => {
      for (const id of ids) {
        const s = this.seriesById.get(id) as SeriesInfo;
        const merged = this.mergeRaw(id, hour, j.perSeries.get(id) as { ts: number[]; values: number[] }, s.scale);
        this.stmt.chunkPut.run(id, TIER_RAW, hour, merged.ts.at(-1), merged.ts.length, encodeChunk(merged, s.scale));
        this.putAgg(s, TIER_1M, hour, bucketize(fromRaw(merged.ts, merged.values), 60));
        if ((hour + HOUR) % DAY === 0) this.sealDay(id, hour + HOUR - DAY, s.scale);
      }
      if (done) this.stmt.deleteHeadRows.run(hostId, hour, hour + HOUR, JSON.stringify(j.rowTs));
    })();
    if (done) {
      this.sealing.delete(hostId);
      this.oldestHead.set(hostId, (this.stmt.headOldest.get(hostId) as { ts: number | null }).ts);
    }
    return done;
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

  /**
   * Rollup chunk columns: min, avg, max, sample count (weights averages of averages), and
   * 'last' only where it means something (states); elsewhere it is left out to save space.
   */
  private putAgg(s: SeriesInfo, tier: number, start: number, a: Agg): void {
    if (a.ts.length === 0) return;
    const columns = [a.min, a.avg, a.max, a.count];
    if (s.metric === 'state') columns.push(a.last);
    this.stmt.chunkPut.run(s.id, tier, start, a.ts.at(-1), a.ts.length, encodeColumns({ ts: a.ts, columns }, s.scale));
  }

  private sealDay(id: number, day: number, scale: number): void {
    const parts = this.readAgg(id, TIER_1M, day, day + DAY, scale);
    const s = this.seriesById.get(id);
    if (s) this.putAgg(s, TIER_1H, day, bucketize(parts, HOUR));
  }

  /** Stored rollup chunks of a tier as one Agg, clipped to [from, to). */
  readAgg(id: number, tier: number, from: number, to: number, scale: number): Agg {
    const rows = this.stmt.chunkRange.all(id, tier, to, from) as { data: Buffer }[];
    const out: Agg = { ts: [], min: [], avg: [], max: [], last: [], count: [] };
    for (const r of rows) {
      const c = decodeColumns(r.data, scale);
      // counts are stored at the metric's scale; they are whole numbers either way
      const [min = [], avg = [], max = [], count = [], last = avg] = c.columns;
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
  retentionStep(nowSec: number, batch = 300): number {
    const r = this.retention;
    const cut: [number, number][] = [
      [TIER_RAW, nowSec - r.rawHours * HOUR],
      [TIER_1M, nowSec - r.minuteDays * DAY],
      [TIER_1H, nowSec - r.hourDays * DAY],
    ];
    let deleted = 0;
    for (const [tier, before] of cut) {
      deleted += this.stmt.retention.run(tier, before, batch).changes;
    }
    // head rows of hosts that stopped reporting long ago (never sealed)
    deleted += this.stmt.retentionHead.run(nowSec - r.rawHours * HOUR, batch).changes;
    return deleted;
  }

  findSeries(target: SeriesTarget, metric: string): SeriesInfo | undefined {
    return this.seriesByKey.get(seriesKey(target.hostId, target.kind === 'vm' ? target.uuid : null, metric));
  }

  allSeries(): IterableIterator<SeriesInfo> {
    return this.seriesById.values();
  }

  seriesInfo(id: number): SeriesInfo | undefined {
    return this.seriesById.get(id);
  }

  vmName(hostId: string, uuid: string): string | undefined {
    return this.vms.get(`${hostId}|${uuid}`)?.name;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

const VM_DEFS = Object.entries(VM_METRIC_DEFS);
const HOST_DEFS = Object.entries(HOST_METRIC_DEFS);

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
    deleteHeadRows: db.prepare(
      'DELETE FROM head_log WHERE host_id = ? AND ts >= ? AND ts < ? AND ts IN (SELECT value FROM json_each(?))',
    ),
    retention: db.prepare(
      'DELETE FROM chunks WHERE id IN (SELECT id FROM chunks WHERE tier = ? AND end_ts < ? LIMIT ?)',
    ),
    retentionHead: db.prepare('DELETE FROM head_log WHERE id IN (SELECT id FROM head_log WHERE ts < ? LIMIT ?)'),
    chunkGet: db.prepare('SELECT data FROM chunks WHERE series_id = ? AND tier = ? AND start_ts = ?'),
    chunkPut: db.prepare(
      'INSERT OR REPLACE INTO chunks (series_id, tier, start_ts, end_ts, count, data) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    chunkRange: db.prepare(
      'SELECT start_ts, data FROM chunks WHERE series_id = ? AND tier = ? AND start_ts < ? AND end_ts >= ? ORDER BY start_ts',
    ),
  };
}
