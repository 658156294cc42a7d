// VirtDeck's history: every host cycle lands as one compact head row (durable at once),
// hours are sealed per host into compressed raw chunks plus one-minute rollups, days into
// one-hour rollups; retention deletes old chunks a little at a time. A failing disk pauses
// history (live data goes on) and writing resumes by itself.
// Pages written per cycle are what costs: head rows are only appended, to their hour's table
// (dropped whole once every host has sealed that hour), chunks are clustered by time, so a
// cycle touches a few neighbouring pages rather than one page per host or per series.
import type { Database as Db } from 'better-sqlite3';
import { DEFAULT_RETENTION } from '../../shared/model/history';
import type { Retention, SeriesTarget } from '../../shared/model/history';
import type { HostSnapshot } from '../../shared/model/metrics';
import { HOST_METRIC_DEFS, VM_METRIC_DEFS, readVmValues, scaleOf } from './catalog';
import {
  decodeColumns,
  encodeChunk,
  encodeColumns,
  quantize,
  quantizeOrNaN,
  dequantize,
  decodeChunk,
  decodeChunkInto,
} from './codec';
import { Checkpointer, SAFETY_AUTOCHECKPOINT_PAGES } from './checkpointer';
import { ChunkBatch, chunkStatements } from './chunk-tables';
import type { ChunkStatements } from './chunk-tables';
import { describeSqliteError, openDatabase } from './database';
import type { OpenOptions, StoreProblem } from './database';
import { decodeHeadRow, encodeHeadRow, headValue } from './head-log';
import { HeadColumns } from './head-columns';
import { HeadTables } from './head-tables';
import type { HeadRow } from './head-tables';
import { bucketize, fromRaw } from './rollup';
import { ByteWriter, MAX_VARINT_BYTES, putSvarint, putUvarint, uvarintLength } from './varint';
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
  /** Checkpoint the WAL on a worker thread rather than inside commits (the app does). */
  backgroundCheckpoint?: boolean;
}

/** Series sealed per host per write: sealing an hour is spread over many cycles. */
export const SEAL_SLICE = 64;
/**
 * Series sealed per write, over all hosts: this many per host cycle in the write (at least one
 * slice). Hosts that fall due together share it instead of sealing in the same write; at 4 per
 * host cycle a fleet seals 4 × its hourly cycles series an hour, several times what it needs.
 */
export const SEAL_BUDGET_PER_CYCLE = 4;

/**
 * A stable spread of 10–50 minutes per host, so sealing work is spread over the hour rather
 * than all hosts sealing in the same cycles (the head keeps at most ~2 h per host).
 */
export function defaultSealDelay(hostId: string): number {
  let h = 0;
  for (let i = 0; i < hostId.length; i++) h = (h * 31 + hostId.charCodeAt(i)) >>> 0;
  // mixed (murmur3's finaliser): ids like host-10…host-19 must not get delays a second apart
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h = (h ^ (h >>> 16)) >>> 0;
  return 600 + (h % 2400);
}

export class HistoryStore {
  readonly db: Db;
  status: StoreStatus = { ok: true, problem: null, message: null, lastWrite: null };
  retention: Retention;
  private readonly now: () => number;
  private readonly sealDelay: (hostId: string) => number;
  /**
   * Series by owner (`host|uuid`, `host|` for the host's own) and metric: ~10,000 owner keys for
   * ~100,000 series, where one joined key per series held 16 MB of strings at 10,000 VMs (heap
   * snapshot of serve). Their host ids, UUIDs and metric names are shared strings (`intern`).
   */
  private readonly seriesByOwner = new Map<string, Map<string, SeriesInfo>>();
  private readonly interned = new Map<string, string>();
  /** Series by id (ids are dense): "last values" looks up ~100,000 ids a call. */
  private seriesAt: (SeriesInfo | undefined)[] = [];
  private readonly vms = new Map<string, { id: number; name: string }>();
  private readonly hostsSeen = new Set<string>();
  /** The unsealed head rows of each host (seconds and row ids, ascending): sealing and queries find them here. */
  private readonly head = new Map<string, HostHead>();
  /** Per host: rows with ts < through and id <= maxId are sealed (mirrors head_sealed). */
  private readonly sealedUpTo = new Map<string, { through: number; maxId: number }>();
  /** Round robin over hosts with a head, so a host that stopped reporting is sealed too. */
  private sweep: string[] = [];
  /** The newest cycle of every host (series ids and scaled values), for "last values". */
  readonly lastRows = new Map<string, LastRow>();
  /** Series ids of each VM (hostId|uuid) and host, in catalog order: the write path's lookup. */
  private readonly idsByVm = new Map<string, { byUuid: Map<string, KnownVm>; inOrder: KnownVm[] }>();
  /** Reused for every head row (SQLite copies the bytes it is given). */
  private readonly rowWriter = new ByteWriter(4096);
  private readonly idsByHost = new Map<string, number[]>();
  private lastRetention = 0;
  /** A host finished sealing an hour: its head table may be droppable. */
  private dropDue = false;
  /** Hours being sealed a slice at a time, per host. */
  private readonly sealing = new Map<string, SealJob>();
  private readonly stmt: ReturnType<typeof prepareStatements>;
  private readonly checkpointer: Checkpointer | null = null;
  private readonly headTables: HeadTables;
  /** Chunk statements of each tier, by tier number. */
  private readonly tiers: readonly ChunkStatements[];
  /** Sealing's raw and one-minute chunks, several rows to a statement. */
  private readonly rawBatch: ChunkBatch;
  private readonly minuteBatch: ChunkBatch;
  /** Id of the next head row: ids go on across hour tables and past every sealed max_id. */
  private nextHeadId = 1;
  /** The head rows a query read last (headRowsOf). */
  private lastHeadRead: { hostId: string; key: string; rows: HeadRow[] } | null = null;

  constructor(private readonly options: HistoryStoreOptions) {
    this.db = openDatabase(options.path, options);
    if (options.backgroundCheckpoint) {
      this.db.pragma(`wal_autocheckpoint = ${SAFETY_AUTOCHECKPOINT_PAGES}`);
      this.checkpointer = new Checkpointer(options.path);
    }
    this.now = options.now ?? Date.now;
    this.sealDelay = options.sealDelaySec ?? defaultSealDelay;
    this.retention = this.loadRetention(options.retention);
    this.stmt = prepareStatements(this.db);
    this.headTables = new HeadTables(this.db);
    this.tiers = [TIER_RAW, TIER_1M, TIER_1H].map((t) => chunkStatements(this.db, t));
    this.rawBatch = new ChunkBatch(this.db, TIER_RAW);
    this.minuteBatch = new ChunkBatch(this.db, TIER_1M);
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
    this.readCatalog();
    // the latest row of each host restores "last values" after a restart
    for (const [hostId, { ts, id }] of this.loadHead()) {
      const h = this.headTables.row(ts, id);
      if (!h) continue;
      const row = decodeHeadRow(h.data);
      this.lastRows.set(hostId, {
        ts: h.ts,
        n: row.size,
        ids: Float64Array.from(row.keys()),
        qs: Float64Array.from(row.values()),
      });
    }
  }

  /** Hosts, VMs and series as the file has them (ids included). */
  private readCatalog(): void {
    const rows = this.db
      .prepare('SELECT s.id, s.host_id AS hostId, v.uuid, s.metric FROM series s LEFT JOIN vms v ON v.id = s.vm_id')
      .all() as { id: number; hostId: string; uuid: string | null; metric: string }[];
    for (const r of rows) {
      this.addSeries(r.id, r.hostId, r.uuid, r.metric);
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
  }

  /**
   * After a write rolled back: memory is read again from the file. Not only the head: hosts,
   * VMs and series first seen in that write were rolled back too, and their ids, kept in
   * memory, would have been written into head rows with no series behind them, then handed by
   * SQLite to the next new series (two series on one id).
   */
  private reloadAfterRollback(): void {
    this.seriesByOwner.clear();
    this.interned.clear();
    this.seriesAt = [];
    this.vms.clear();
    this.hostsSeen.clear();
    this.idsByVm.clear();
    this.idsByHost.clear();
    this.readCatalog();
    // live "last values" stay, less any series the file does not have
    for (const row of this.lastRows.values()) {
      let kept = 0;
      for (let k = 0; k < row.n; k++) {
        if (this.seriesAt[row.ids[k] as number] === undefined) continue;
        row.ids[kept] = row.ids[k] as number;
        row.qs[kept++] = row.qs[k] as number;
      }
      row.n = kept;
    }
    this.loadHead();
  }

  /**
   * Rebuilds the in-memory directory of unsealed head rows from the file (at open, and after a
   * failed write rolled back rows it had listed). Reads only the ts indexes. Returns the newest
   * row (ts and id) of every host.
   */
  private loadHead(): Map<string, { ts: number; id: number }> {
    this.lastHeadRead = null;
    this.head.clear();
    this.sealedUpTo.clear();
    this.headTables.reload();
    let maxId = this.headTables.maxId();
    for (const r of this.stmt.headSealed.all() as { hostId: string; through: number; maxId: number }[]) {
      this.sealedUpTo.set(r.hostId, { through: r.through, maxId: r.maxId });
      if (r.maxId > maxId) maxId = r.maxId; // a new row must never count as sealed
    }
    this.nextHeadId = maxId + 1;
    const newest = new Map<string, { ts: number; id: number }>();
    for (const r of this.headTables.entries()) {
      const prev = newest.get(r.hostId);
      if (!prev || r.ts > prev.ts || (r.ts === prev.ts && r.id > prev.id)) newest.set(r.hostId, { ts: r.ts, id: r.id });
      const sealed = this.sealedUpTo.get(r.hostId);
      if (sealed && r.ts < sealed.through && r.id <= sealed.maxId) continue;
      const d = this.headOf(r.hostId);
      const last = d.ts.length - 1;
      if (last >= 0 && d.ts[last] === r.ts) {
        if (r.id > (d.ids[last] as number)) d.ids[last] = r.id; // the later write of a second wins
      } else {
        d.ts.push(r.ts);
        d.ids.push(r.id);
      }
    }
    this.sealing.clear();
    return newest;
  }

  private headOf(hostId: string): HostHead {
    let d = this.head.get(hostId);
    if (!d) {
      this.head.set(hostId, (d = { ts: [], ids: [] }));
    }
    return d;
  }

  private series(hostId: string, vmId: number | null, uuid: string | null, metric: string): SeriesInfo {
    const s = this.seriesByOwner.get(ownerKey(hostId, uuid))?.get(metric);
    if (s) return s;
    const id = Number(this.stmt.insertSeries.run(hostId, vmId, metric).lastInsertRowid);
    return this.addSeries(id, hostId, uuid, metric);
  }

  private intern(x: string): string {
    const known = this.interned.get(x);
    if (known !== undefined) return known;
    this.interned.set(x, x);
    return x;
  }

  private addSeries(id: number, hostId: string, uuid: string | null, metric: string): SeriesInfo {
    const s: SeriesInfo = {
      id,
      hostId: this.intern(hostId),
      uuid: uuid === null ? null : this.intern(uuid),
      metric: this.intern(metric),
      scale: scaleOf(uuid === null ? 'host' : 'vm', metric),
    };
    const owner = ownerKey(hostId, uuid);
    let byMetric = this.seriesByOwner.get(owner);
    if (!byMetric) this.seriesByOwner.set(owner, (byMetric = new Map()));
    byMetric.set(s.metric, s);
    this.seriesAt[id] = s;
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
    const insert = () => {
      try {
        for (const { snapshot, hostName } of items) this.insertCycle(snapshot, hostName ?? snapshot.hostId);
        this.headTables.flush(); // the head rows, several to a statement
      } catch (e) {
        this.headTables.discard(); // rolled back: none of them may be written later
        throw e;
      }
    };
    try {
      try {
        // the cycles and the sealing they make due in one commit (fewer commits, pages both
        // touch written once) …
        this.db.transaction(() => {
          insert();
          this.sealAfter(items);
        })();
      } catch {
        this.reloadAfterRollback(); // rows, seals and new series listed in memory were rolled back
        this.db.transaction(insert)(); // sealing may be what failed: keep the cycles at least
      }
      this.status = { ok: true, problem: null, message: null, lastWrite: this.now() };
      // … but drops and deletes in commits of their own: SQLite skips writing a page a delete
      // frees only when no savepoint is open (a precaution: not measured on its own)
      this.freeSpace();
    } catch (e) {
      const err = describeSqliteError(e, this.options.path);
      this.status = { ...this.status, ok: false, problem: err.problem, message: err.message };
      try {
        this.reloadAfterRollback(); // rows and series listed in memory may have been rolled back
      } catch {
        // the file cannot even be read: the next successful write reloads it
      }
    }
  }

  /** Sealing after a write: a budget shared by the hosts written, and one more host. */
  private sealAfter(items: readonly { snapshot: HostSnapshot }[]): void {
    const hosts = new Set(items.map((i) => i.snapshot.hostId));
    let budget = Math.max(SEAL_SLICE, SEAL_BUDGET_PER_CYCLE * items.length);
    for (const hostId of hosts) if (budget > 0) budget -= this.seal(hostId, budget);
    // one more host per write, in turn: a host that stopped reporting still gets sealed
    if (this.sweep.length === 0) this.sweep = [...this.head.keys()];
    const other = this.sweep.pop();
    if (other !== undefined && !hosts.has(other) && budget > 0) this.seal(other, budget);
  }

  /**
   * Drops the oldest head table once no host has an unsealed row in its hour: one DROP frees
   * its pages without writing them (an hour of 10,000 VMs, ~100 MB: ~50 ms, once an hour),
   * where deleting the rows wrote every page of the head a second time.
   */
  private dropSealedHead(): void {
    let cutoff = Number.MAX_SAFE_INTEGER;
    for (const d of this.head.values()) if (d.ts.length && (d.ts[0] as number) < cutoff) cutoff = d.ts[0] as number;
    if (this.headTables.dropOldest(cutoff) !== null) this.lastHeadRead = null;
  }

  private insertCycle(snapshot: HostSnapshot, hostName: string): void {
    const ts = Math.round(snapshot.ts / 1000);
    const hostId = snapshot.hostId;
    if (!this.hostsSeen.has(hostId) || ts % 60 < 10) {
      this.stmt.upsertHost.run(hostId, hostName, ts, ts);
      this.hostsSeen.add(hostId);
    }
    // the newest cycle's ids and values, which "last values" keeps, written in place into the
    // host's typed arrays (growing arrays of numbers cost ~4 × as much, measured); the head
    // row's (id delta, value) varints are written in the same loop, straight into the reused
    // row buffer after room for the count (a second pass over ids and values, one call
    // through the writer per varint, was about a fifth of the write path's time)
    const most = (snapshot.host ? HOST_PICKS.length : 0) + snapshot.vms.length * VM_SCALES.length;
    let row = this.lastRows.get(hostId);
    if (!row || row.ids.length < most) {
      row = { ts, n: 0, ids: new Float64Array(most + 64), qs: new Float64Array(most + 64) };
      this.lastRows.set(hostId, row);
    }
    const { ids, qs } = row;
    const w = this.rowWriter;
    w.reset();
    const buf = w.room(ROW_BODY_AT + most * 2 * MAX_VARINT_BYTES);
    let at = ROW_BODY_AT;
    // ids nearly always come ascending (catalog order); when not, the row is encoded sorted below
    let ascending = true;
    let prev = 0;
    let n = 0;
    if (snapshot.host) {
      let hostIds = this.idsByHost.get(hostId);
      if (!hostIds) {
        hostIds = HOST_DEFS.map(([metric]) => this.series(hostId, null, null, metric).id);
        this.idsByHost.set(hostId, hostIds);
      }
      for (let k = 0; k < HOST_PICKS.length; k++) {
        const q = quantize((HOST_PICKS[k] as HostPick)(snapshot.host), HOST_SCALES[k] as number);
        if (q === null) continue;
        const id = hostIds[k] as number;
        ids[n] = id;
        qs[n++] = q;
        if (id > prev) {
          at = putS(buf, putU(buf, at, id - prev), q);
          prev = id;
        } else ascending = false;
      }
    }
    let vmsOfHost = this.idsByVm.get(hostId);
    if (!vmsOfHost) this.idsByVm.set(hostId, (vmsOfHost = { byUuid: new Map(), inOrder: [] }));
    const { byUuid, inOrder } = vmsOfHost;
    const vms = snapshot.vms;
    for (let v = 0; v < vms.length; v++) {
      const vm = vms[v] as (typeof vms)[number];
      if (!vm.uuid) continue; // not identified yet: its UUID arrives in the same or next cycle
      // the VM at this place last cycle, compared by content: a map lookup hashes the collector's
      // fresh strings (flattening them first), several times the cost (measured)
      let known = inOrder[v];
      if (!known || known.uuid !== vm.uuid || known.name !== vm.name) {
        known = byUuid.get(vm.uuid);
        if (!known || known.name !== vm.name) {
          const vmId = this.vm(hostId, vm.uuid, vm.name, ts);
          const uuid = vm.uuid;
          const ids = VM_DEFS.map(([metric]) => this.series(hostId, vmId, uuid, metric).id);
          known = { uuid, name: vm.name, ids };
          byUuid.set(uuid, known);
        }
        inOrder[v] = known;
      }
      const vmIds = known.ids;
      readValues(vm, vmValues);
      for (let k = 0; k < VM_SCALES.length; k++) {
        const q = toScaled(vmValues[k] as number, VM_SCALES[k] as number);
        if (q !== q) continue; // NaN: no value
        const id = vmIds[k] as number;
        ids[n] = id;
        qs[n++] = q;
        if (id > prev) {
          at = putS(buf, putU(buf, at, id - prev), q);
          prev = id;
        } else ascending = false;
      }
    }
    row.ts = ts;
    row.n = n;
    let data: Uint8Array;
    if (ascending) {
      // the count goes right before the pairs (the bytes encodeHeadRow gives)
      const start = ROW_BODY_AT - uvarintLength(n);
      putU(buf, start, n);
      data = buf.subarray(start, at);
    } else data = encodeHeadRow(ids, qs, n, w);
    // always a new row (appended: no page rewritten); a second written twice points at the later row
    const id = this.nextHeadId++;
    this.headTables.insert(id, hostId, ts, data);
    const d = this.headOf(hostId);
    const last = d.ts.length - 1;
    if (last < 0 || (d.ts[last] as number) < ts) {
      d.ts.push(ts); // the usual case: the newest second
      d.ids.push(id);
      return;
    }
    const place = lowerBound(d.ts, ts);
    if (d.ts[place] === ts) d.ids[place] = id;
    else {
      d.ts.splice(place, 0, ts);
      d.ids.splice(place, 0, id);
    }
  }

  /**
   * Seals part of a host's due hour (at most `budget` series) and frees what can be freed
   * (a sealed head table, a retention step now and then). Returns the seal work done.
   */
  maintain(hostId: string, budget = SEAL_SLICE): number {
    const work = this.seal(hostId, budget);
    this.freeSpace();
    return work;
  }

  /** Seals part of a host's due hour, a new hour counting as a slice. Returns the work done. */
  private seal(hostId: string, budget: number): number {
    const nowSec = Math.floor(this.now() / 1000);
    const oldest = this.head.get(hostId)?.ts[0];
    if (oldest === undefined) return 0;
    const hour = Math.floor(oldest / HOUR) * HOUR;
    if (nowSec < hour + HOUR + this.sealDelay(hostId)) return 0;
    // starting an hour (reading and decoding its rows) counts as a slice of work
    const starting = this.sealing.get(hostId)?.hour !== hour;
    const slice = Math.max(1, Math.min(SEAL_SLICE, starting ? budget - SEAL_SLICE : budget));
    // an hour sealed may have been the last unsealed one of its head table
    if (this.sealStep(hostId, hour, slice)) this.dropDue = true;
    return slice + (starting ? SEAL_SLICE : 0);
  }

  /** Drops a head table every host has sealed, and runs a retention step every 10 s. */
  private freeSpace(): void {
    if (this.dropDue) {
      this.dropDue = false;
      this.dropSealedHead();
    }
    const nowSec = Math.floor(this.now() / 1000);
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
   * sealed; then exactly those rows are marked sealed (head_sealed, in the same transaction) and
   * left for dropSealedHead; rows that arrived meanwhile stay for the next pass, which merges
   * them. Returns true when the hour is done.
   */
  sealStep(hostId: string, hour: number, slice: number): boolean {
    let job = this.sealing.get(hostId);
    if (!job || job.hour !== hour) {
      const d = this.head.get(hostId) ?? { ts: [], ids: [] };
      const rowIds: number[] = [];
      for (let k = 0; k < d.ts.length && (d.ts[k] as number) < hour + HOUR; k++) {
        if ((d.ts[k] as number) >= hour) rowIds.push(d.ids[k] as number);
      }
      // every row of this host older than the hour is sealed already (hours seal oldest first),
      // so rows up to this id with ts < hour + 1 h are all sealed once this job is done
      const maxId = this.nextHeadId - 1;
      const columns = new HeadColumns(this.headTables.rows(hour, rowIds));
      const pending = columns.seriesIds().filter((id) => this.seriesAt[id] !== undefined);
      // chunks of this hour exist only if it was sealed before (late samples): an hour not yet
      // sealed has all its samples in the head still (a job cut short rewrites what it wrote)
      const merge = hour < (this.sealedUpTo.get(hostId)?.through ?? -Infinity);
      job = { hour, columns, pending, rowIds, maxId, merge };
      this.sealing.set(hostId, job);
    }
    const ids = job.pending.splice(0, slice === Infinity ? job.pending.length : slice);
    const done = job.pending.length === 0;
    const j = job;
    // inside a write's transaction, no savepoint of its own: SQLite copies every page changed
    // under a savepoint into a statement journal (a temporary file), which made a write 6 MB
    if (this.db.inTransaction) this.sealSeries(hostId, j, ids, done);
    else this.db.transaction(() => this.sealSeries(hostId, j, ids, done))();
    if (done) {
      this.sealing.delete(hostId);
      const prev = this.sealedUpTo.get(hostId);
      if (!prev || hour + HOUR >= prev.through) this.sealedUpTo.set(hostId, { through: hour + HOUR, maxId: j.maxId });
      const sealed = new Set(j.rowIds);
      const d = this.head.get(hostId);
      if (d) {
        const keep = d.ids.map((id) => !sealed.has(id));
        d.ts = d.ts.filter((_, k) => keep[k]);
        d.ids = d.ids.filter((_, k) => keep[k]);
        if (d.ts.length === 0) this.head.delete(hostId);
      }
    }
    return done;
  }

  /**
   * Writes the chunks of some series of a seal job (and marks the hour sealed when done). Raw
   * and one-minute chunks go through the tiers' batches, flushed before anything reads a tier
   * (a day's rollup reads the hour's one-minute chunks) and at the end.
   */
  private sealSeries(hostId: string, job: SealJob, ids: readonly number[], done: boolean): void {
    const hour = job.hour;
    const raw = this.rawBatch;
    const minute = this.minuteBatch;
    const endsDay = (hour + HOUR) % DAY === 0;
    try {
      for (const id of ids) {
        const s = this.seriesAt[id] as SeriesInfo;
        if (job.merge) {
          const merged = this.mergeRaw(
            id,
            hour,
            job.columns.points(id, (q) => dequantize(q, s.scale)),
            s.scale,
          );
          raw.add(id, hour, merged.ts.at(-1) as number, merged.ts.length, encodeChunk(merged, s.scale));
          raw.flush(); // the next series' merge reads the tier
          this.putAgg(s, TIER_1M, hour, bucketize(fromRaw(merged.ts, merged.values), 60));
        } else {
          const c = job.columns.seal(id, s.scale, 60, s.metric === 'state');
          if (c) {
            raw.add(id, hour, c.raw.end, c.raw.count, c.raw.data);
            minute.add(id, hour, c.agg.end, c.agg.count, c.agg.data);
          }
        }
        if (endsDay) {
          minute.flush();
          this.sealDay(id, hour + HOUR - DAY, s.scale);
        }
      }
      raw.flush();
      minute.flush();
    } catch (e) {
      raw.clear(); // the write is rolled back: nothing of it may be written later
      minute.clear();
      throw e;
    }
    if (done) this.stmt.markSealed.run(hostId, hour + HOUR, job.maxId);
  }

  /** Late samples for an hour already sealed are merged into its chunk, not lost. */
  private mergeRaw(id: number, hour: number, p: { ts: number[]; values: (number | null)[] }, scale: number) {
    const existing = this.tier(TIER_RAW).get.get(id, hour) as { data: Buffer } | undefined;
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
    this.tier(tier).put.run(s.id, start, a.ts.at(-1), a.ts.length, encodeColumns({ ts: a.ts, columns }, s.scale));
  }

  private sealDay(id: number, day: number, scale: number): void {
    const parts = this.readAgg(id, TIER_1M, day, day + DAY, scale);
    const s = this.seriesAt[id];
    if (s) this.putAgg(s, TIER_1H, day, bucketize(parts, HOUR));
  }

  /** Stored rollup chunks of a tier as one Agg, clipped to [from, to). */
  readAgg(id: number, tier: number, from: number, to: number, scale: number): Agg {
    const rows = this.chunkRange(id, tier, from, to);
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
    for (const r of this.chunkRange(s.id, TIER_RAW, from, to)) decodeChunkInto(r.data, s.scale, from, to, ts, values);
    const d = this.head.get(s.hostId);
    let rows: HeadRow[] = [];
    if (d) {
      const at = lowerBound(d.ts, from);
      const end = lowerBound(d.ts, to);
      rows = this.headRowsOf(s.hostId, d.ts.slice(at, end), d.ids.slice(at, end));
    }
    for (const r of rows) {
      if (ts.length && r.ts <= (ts.at(-1) as number)) continue; // sealed already (late merge)
      const q = headValue(r.data, s.id);
      ts.push(r.ts);
      values.push(q === undefined ? null : dequantize(q, s.scale));
    }
    return { ts, values };
  }

  /**
   * Head rows by id, the last list read kept: a chart asks for several metrics of one VM over
   * the same range, and reading the rows was most of a 24 h query (3.3 of 5.2 ms for 4 metrics,
   * measured). Rows are never changed once written (a second written again is a new row), so
   * the same ids are the same rows; the list is forgotten whenever the head is read again
   * (ids may then be handed out again) or a head table is dropped.
   */
  private headRowsOf(hostId: string, ts: readonly number[], ids: readonly number[]): HeadRow[] {
    const key = ids.join(',');
    const c = this.lastHeadRead;
    if (c && c.hostId === hostId && c.key === key) return c.rows;
    const rows = this.headTables.rowsAt(ts, ids);
    this.lastHeadRead = { hostId, key, rows };
    return rows;
  }

  /**
   * Chunks of a series and tier overlapping [from, to), oldest first: one primary-key lookup
   * per chunk start (starts are aligned to the tier's span).
   */
  private chunkRange(id: number, tier: number, from: number, to: number): { start_ts: number; data: Buffer }[] {
    const span = spanOf(tier);
    // no lookups for spans before the first chunk or after the last one of the tier
    const c = this.tier(tier);
    const lo = (c.minStart.get() as { t: number } | undefined)?.t;
    const hi = (c.maxStart.get() as { t: number } | undefined)?.t;
    if (lo === undefined || hi === undefined) return [];
    const first = Math.max(Math.floor(from / span) * span, lo);
    const end = Math.min(to, hi + 1);
    if (first >= end) return [];
    return c.range.all({ first, span, end, id }) as { start_ts: number; data: Buffer }[];
  }

  /**
   * Deletes expired chunks (whose whole span is older than the tier keeps) and head rows in
   * small batches from the old end of the file, never blocking for long.
   */
  retentionStep(nowSec: number, batch = 300): number {
    const r = this.retention;
    const cut: [number, number][] = [
      [TIER_RAW, nowSec - r.rawHours * HOUR],
      [TIER_1M, nowSec - r.minuteDays * DAY],
      [TIER_1H, nowSec - r.hourDays * DAY],
    ];
    let deleted = 0;
    for (const [tier, before] of cut) {
      const lastStart = before - spanOf(tier); // chunks starting at or before this have ended before the cut
      const c = this.tier(tier);
      const edge = c.edge.get(lastStart, batch - 1) as { start_ts: number; series_id: number } | undefined;
      if (!edge) deleted += c.deleteUpTo.run(lastStart).changes;
      else {
        deleted += c.deleteUpTo.run(edge.start_ts - 1).changes;
        deleted += c.deletePart.run(edge.start_ts, edge.series_id).changes;
      }
    }
    // head rows of hosts that stopped reporting long ago (never sealed): their hour's table
    if (this.headTables.dropOldest(nowSec - r.rawHours * HOUR) !== null) {
      deleted++;
      this.loadHead();
    }
    return deleted;
  }

  /** Head rows with ts ≥ since, for the top-N window. */
  headRowsSince(since: number): HeadRow[] {
    return this.headTables.since(since);
  }

  /** Hours that still have a head table, and the rows and bytes the head holds. */
  headInfo(): { hours: readonly number[]; rows: number; bytes: number } {
    return { hours: this.headTables.list(), ...this.headTables.size() };
  }

  private tier(tier: number): ChunkStatements {
    return this.tiers[tier] as ChunkStatements;
  }

  /** Stores a sealed chunk as is (the bench fills a week of history this way). */
  putChunk(seriesId: number, tier: number, start: number, end: number, count: number, data: Uint8Array): void {
    this.tier(tier).put.run(seriesId, start, end, count, data);
  }

  findSeries(target: SeriesTarget, metric: string): SeriesInfo | undefined {
    return this.seriesByOwner.get(ownerKey(target.hostId, target.kind === 'vm' ? target.uuid : null))?.get(metric);
  }

  *allSeries(): IterableIterator<SeriesInfo> {
    for (const s of this.seriesAt) if (s) yield s;
  }

  seriesInfo(id: number): SeriesInfo | undefined {
    return this.seriesAt[id];
  }

  vmName(hostId: string, uuid: string): string | undefined {
    return this.vms.get(`${hostId}|${uuid}`)?.name;
  }

  close(): void {
    this.checkpointer?.close();
    if (this.db.open) this.db.close();
  }
}

const VM_DEFS = Object.entries(VM_METRIC_DEFS);
const HOST_DEFS = Object.entries(HOST_METRIC_DEFS);
type HostPick = (typeof HOST_DEFS)[number][1]['pick'];
// the write path's per-value loop reads these flat arrays
const VM_SCALES = VM_DEFS.map(([, d]) => d.scale);
/** One VM's values as readVmValues gives them (reused: the write path runs on one thread). */
const vmValues = new Float64Array(VM_DEFS.length);
const HOST_PICKS = HOST_DEFS.map(([, d]) => d.pick);
const HOST_SCALES = HOST_DEFS.map(([, d]) => d.scale);
// Functions the per-value loops call, read once from their modules: where modules are loaded as
// CommonJS (tsx: the bench, the tests), every use of an imported name reads a getter of the
// module's exports, which cost 1.2 ms of a 10,000-VM write for `quantize` alone (CPU profile).
const toScaled = quantizeOrNaN;
const readValues = readVmValues;
const putU = putUvarint;
const putS = putSvarint;
/** Where a head row's pairs start in the row buffer: room for its count (a uvarint) before them. */
const ROW_BODY_AT = MAX_VARINT_BYTES;

/** A VM as the write path knows it: its series ids in VM_DEFS order, under the name they were looked up for. */
interface KnownVm {
  uuid: string;
  name: string;
  ids: number[];
}

/** A host's newest cycle: series ids and scaled values, the first n of each array. */
export interface LastRow {
  ts: number;
  n: number;
  ids: Float64Array;
  qs: Float64Array;
}

/** An hour of one host being sealed a slice of series at a time. */
interface SealJob {
  hour: number;
  /** The hour's head rows, decoded once. */
  columns: HeadColumns;
  /** Series still to seal. */
  pending: number[];
  rowIds: number[];
  maxId: number;
  /** Whether the hour was sealed before (late samples): its chunks are merged with, not replaced. */
  merge: boolean;
}

interface HostHead {
  ts: number[];
  ids: number[];
}

/** Seconds a chunk of a tier spans from its (aligned) start. */
function spanOf(tier: number): number {
  return tier === TIER_1H ? DAY : HOUR;
}

/** First index whose value is >= x in an ascending array. */
function lowerBound(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((xs[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function ownerKey(hostId: string, uuid: string | null): string {
  return `${hostId}|${uuid ?? ''}`;
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
    headSealed: db.prepare('SELECT host_id AS hostId, through, max_id AS maxId FROM head_sealed'),
    markSealed: db.prepare(
      'INSERT INTO head_sealed (host_id, through, max_id) VALUES (?, ?, ?) ON CONFLICT(host_id) DO UPDATE SET through = excluded.through, max_id = excluded.max_id WHERE excluded.through >= head_sealed.through',
    ),
  };
}
