// History store figures for a 10,000-VM fleet (200 hosts × 50 VMs) at a 10 s interval with a
// week of history already in the file, beside the naive row-per-value layout in the same run.
// BENCH_VMS scales the fleet down for a quick look.
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { HistoryStore, TIER_1H, TIER_1M, TIER_RAW } from '../src/main/store/history-store';
import { encodeChunk, encodeColumns } from '../src/main/store/codec';
import { lastValues, querySeries } from '../src/main/store/history-query';
import { snapshot, vmFigures } from '../test/helpers/snapshots';
import { tempDir } from '../test/helpers/temp';
import type { Figure } from './lib/figures';
import { median } from './lib/figures';

const VMS = Number(process.env.BENCH_VMS ?? 10_000);
const PER_HOST = 50;
const HOSTS = Math.ceil(VMS / PER_HOST);
const HOUR = 3600;
const DAY = 86400;

/** Bytes this process asked the OS to write so far (Linux /proc/self/io). */
function bytesWritten(): number {
  const m = /^wchar: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'));
  return Number(m?.[1] ?? 0);
}

function fileBytes(path: string): number {
  let total = 0;
  for (const f of [path, `${path}-wal`]) {
    try {
      total += statSync(f).size;
    } catch {
      // no WAL right now
    }
  }
  return total;
}

/** Fills a week of sealed history directly as chunks (encoded once per hour and shape). */
export function prefill(store: HistoryStore, nowSec: number): void {
  const hourNow = Math.floor(nowSec / HOUR) * HOUR;
  const shapes = 8;
  const raw = new Map<string, Uint8Array>();
  const minute = new Map<string, Uint8Array>();
  const hourly = new Map<string, Uint8Array>();
  const rawFor = (h: number, k: number, scale: number) => {
    const key = `${h}|${k}|${scale}`;
    let b = raw.get(key);
    if (!b) {
      const ts = Array.from({ length: 360 }, (_, i) => h + i * 10);
      const values = ts.map((t) => Math.round(Math.abs(Math.sin(t / 600 + k)) * 10_000) / (scale < 1 ? 100 : 0.01));
      raw.set(key, (b = encodeChunk({ ts, values }, scale)));
    }
    return b;
  };
  const aggFor = (cache: Map<string, Uint8Array>, start: number, step: number, n: number, k: number, scale: number) => {
    const key = `${start}|${k}|${scale}`;
    let b = cache.get(key);
    if (!b) {
      const ts = Array.from({ length: n }, (_, i) => start + i * step);
      const v = ts.map((t) => Math.round(Math.abs(Math.sin(t / 600 + k)) * 5000) / 100);
      const spread = (d: number) => v.map((x) => Math.round((x + d) * 100) / 100);
      cache.set(key, (b = encodeColumns({ ts, columns: [spread(-1), v, spread(1), ts.map(() => step / 10)] }, scale)));
    }
    return b;
  };
  const put = { run: store.putChunk.bind(store) };
  // in the order the store writes them: hour by hour, every series of an hour together
  const series = [...store.allSeries()];
  const each = (f: (s: (typeof series)[number]) => void) => store.db.transaction(() => series.forEach(f))();
  for (let h = hourNow - 7 * DAY; h < hourNow - HOUR; h += HOUR) {
    each((s) => {
      const k = s.id % shapes;
      if (h >= hourNow - 48 * HOUR) put.run(s.id, TIER_RAW, h, h + 3590, 360, rawFor(h, k, s.scale));
      put.run(s.id, TIER_1M, h, h + 3540, 60, aggFor(minute, h, 60, 60, k, s.scale));
    });
  }
  const dayNow = Math.floor(nowSec / DAY) * DAY;
  for (let d = dayNow - 7 * DAY; d < dayNow; d += DAY) {
    each((s) => put.run(s.id, TIER_1H, d, d + 82800, 24, aggFor(hourly, d, 3600, 24, s.id % shapes, s.scale)));
  }
}

async function ours(dir: string): Promise<Figure[]> {
  const path = join(dir, 'history.db');
  let nowMs = Date.UTC(2026, 10, 20, 0, 0, 0);
  const store = new HistoryStore({ path, now: () => nowMs, backgroundCheckpoint: true }); // as the app
  const hosts = Array.from({ length: HOSTS }, (_, h) => `host-${h}`);
  for (const [h, id] of hosts.entries()) store.write(snapshot(id, nowMs, PER_HOST, h * PER_HOST));
  prefill(store, Math.floor(nowMs / 1000));
  store.db.pragma('wal_checkpoint(TRUNCATE)');

  // steady state: a first hour fills the head, then the hour measured, in which every host
  // seals the first one (10–50 min after it ends) while writing the next
  const cycleMs: number[] = [];
  const cycleBytes: number[] = [];
  for (let c = 1; c < 360; c++) {
    nowMs += 10_000;
    store.writeBatch(hosts.map((id, h) => ({ snapshot: snapshot(id, nowMs, PER_HOST, h * PER_HOST) })));
  }
  for (let c = 1; c <= 360; c++) {
    nowMs += 10_000;
    const snaps = hosts.map((id, h) => snapshot(id, nowMs, PER_HOST, h * PER_HOST));
    const b0 = bytesWritten();
    const t0 = performance.now();
    store.writeBatch(snaps.map((snapshot) => ({ snapshot }))); // as the app flushes: one commit
    cycleMs.push(performance.now() - t0);
    cycleBytes.push(bytesWritten() - b0);
  }
  if (!store.status.ok) throw new Error(`store failed: ${store.status.message}`);
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  const size = fileBytes(path);
  const tiers = store.db
    .prepare('SELECT tier, SUM(count) AS points, SUM(length(data)) AS bytes FROM chunks GROUP BY tier')
    .all() as { tier: number; points: number; bytes: number }[];
  const head = store.headInfo();
  const perCycle = [...store.lastRows.values()].reduce((a, r) => a + r.n, 0); // values per fleet cycle
  const headValues = (head.rows / HOSTS) * perCycle;
  const raw = tiers.find((t) => t.tier === TIER_RAW) ?? { points: 0, bytes: 0 };
  // raw tier: its chunks and the head, per raw value
  const rawBytesPerValue = (raw.bytes + head.bytes) / (raw.points + headValues);
  // the whole file over every value it holds (rollup points count min, avg and max)
  const allValues =
    raw.points + headValues + tiers.filter((t) => t.tier !== TIER_RAW).reduce((a, t) => a + 3 * t.points, 0);

  // 24 h of one VM (raw points) for 4 metrics: seed a full day for host 0 through the write path
  const q = new HistoryStore({ path: join(dir, 'q.db'), now: () => nowMs });
  let t = nowMs - 24 * 3600_000;
  for (; t < nowMs; t += 10_000) q.write(snapshot('q', t, 5));
  const target = { kind: 'vm' as const, hostId: 'q', uuid: vmFigures(0, 0).uuid as string };
  const q24: number[] = [];
  for (let r = 0; r < 15; r++) {
    const t0 = performance.now();
    for (const m of ['cpu_pct', 'mem_pct', 'net_rx_bps', 'disk_write_bps']) {
      const res = querySeries(q, target, m, nowMs - 24 * 3600_000, nowMs, 8640, nowMs);
      if (res.ts.length < 8000) throw new Error(`24 h query returned ${res.ts.length} points`);
    }
    q24.push(performance.now() - t0);
  }
  // 30 days from rollups, on the big store (a week exists; the rest is empty)
  const big = { kind: 'vm' as const, hostId: 'host-7', uuid: vmFigures(7 * PER_HOST, 0).uuid as string };
  const q30: number[] = [];
  for (let r = 0; r < 15; r++) {
    const t0 = performance.now();
    for (const m of ['cpu_pct', 'mem_pct', 'net_rx_bps', 'disk_write_bps']) {
      querySeries(store, big, m, nowMs - 30 * 86400_000, nowMs, 1500, nowMs);
    }
    q30.push(performance.now() - t0);
  }
  const lv: number[] = [];
  for (let r = 0; r < 15; r++) {
    const t0 = performance.now();
    const all = lastValues(store, 'cpu_pct');
    if (all.length !== HOSTS * PER_HOST) throw new Error(`last values: ${all.length}`);
    lv.push(performance.now() - t0);
  }
  q.close();
  store.close();
  return [
    { name: 'store.write_ms', value: median(cycleMs), unit: 'ms/cycle', target: 20, baseline: null },
    {
      name: 'store.write_mean_ms',
      value: cycleMs.reduce((a, b) => a + b, 0) / cycleMs.length,
      unit: 'ms/cycle',
      target: null,
      baseline: null,
    },
    {
      name: 'store.write_p95_ms',
      value: [...cycleMs].sort((a, b) => a - b)[Math.floor(cycleMs.length * 0.95)] ?? NaN,
      unit: 'ms/cycle',
      target: null,
      baseline: null,
    },
    {
      // the slowest write of the hour (dropping a sealed hour's head table happens once in it)
      name: 'store.write_max_ms',
      value: Math.max(...cycleMs),
      unit: 'ms/cycle',
      target: null,
      baseline: null,
    },
    {
      name: 'store.write_mb',
      value: cycleBytes.reduce((a, b) => a + b, 0) / cycleBytes.length / 1e6,
      unit: 'MB/cycle',
      target: 2,
      baseline: null,
    },
    { name: 'store.bytes_per_value', value: rawBytesPerValue, unit: 'B', target: 4, baseline: null },
    { name: 'store.file_bytes_per_value', value: size / allValues, unit: 'B', target: null, baseline: null },
    { name: 'store.file_gb', value: size / 1e9, unit: 'GB', target: null, baseline: null },
    { name: 'store.query_24h_ms', value: median(q24), unit: 'ms', target: 5, baseline: null },
    { name: 'store.query_30d_ms', value: median(q30), unit: 'ms', target: 10, baseline: null },
    { name: 'store.last_values_ms', value: median(lv), unit: 'ms', target: 20, baseline: null },
  ];
}

/** The naive layout: one row per value, (series, ts) primary key, with 30 min already stored. */
function naive(dir: string): { writeMs: number; writeMb: number; bytesPerValue: number } {
  const path = join(dir, 'naive.db');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(
    'CREATE TABLE samples (series_id INTEGER NOT NULL, ts INTEGER NOT NULL, value REAL, PRIMARY KEY (series_id, ts))',
  );
  const ins = db.prepare('INSERT INTO samples VALUES (?, ?, ?)');
  const metrics = 10; // the same VM metrics as ours
  const cycle = (ts: number) =>
    db.transaction(() => {
      for (let vm = 0; vm < HOSTS * PER_HOST; vm++) {
        const f = vmFigures(vm, ts);
        const vals = [f.cpuPct, f.stealPct, f.memPct, f.netRxBps, f.netTxBps, f.diskReadBps, f.diskWriteBps, 0, 0, 0];
        for (let m = 0; m < metrics; m++) ins.run(vm * metrics + m, ts, vals[m] ?? null);
      }
    })();
  let ts = 1_763_000_000;
  for (let c = 0; c < 180; c++) cycle((ts += 10));
  db.pragma('wal_checkpoint(TRUNCATE)');
  const ms: number[] = [];
  const bytes: number[] = [];
  for (let c = 0; c < 20; c++) {
    const b0 = bytesWritten();
    const t0 = performance.now();
    cycle((ts += 10));
    ms.push(performance.now() - t0);
    bytes.push(bytesWritten() - b0);
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  const rows = (db.prepare('SELECT COUNT(*) AS n FROM samples').get() as { n: number }).n;
  const size = fileBytes(path);
  db.close();
  return {
    writeMs: median(ms),
    writeMb: bytes.reduce((a, b) => a + b, 0) / bytes.length / 1e6,
    bytesPerValue: size / rows,
  };
}

export async function run(): Promise<Figure[]> {
  const dir = tempDir('bench-store');
  try {
    const base = naive(dir);
    const figures = await ours(dir);
    const baselineOf: Record<string, number> = {
      'store.write_ms': base.writeMs,
      'store.write_mb': base.writeMb,
      'store.bytes_per_value': base.bytesPerValue,
      'store.file_bytes_per_value': base.bytesPerValue,
    };
    return figures.map((f) => ({ ...f, baseline: baselineOf[f.name] ?? f.baseline }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
