// Diagnostic, not a suite: which b-trees a steady-state history write dirties, from the WAL
// frames of each cycle (page number → table or index via dbstat). Checkpoints after every
// cycle, so its ms are not store.write_ms. `npx tsx bench/store-pages.ts` (BENCH_VMS=2000,
// CYCLES=480, SAMPLE=40: name the pages of every 40th cycle, naming is slow; WARM=360: count
// only the cycles after the first hour, which is the one store.bench measures: every host seals).
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { HistoryStore } from '../src/main/store/history-store';
import { snapshot } from '../test/helpers/snapshots';
import { tempDir } from '../test/helpers/temp';
import { prefill } from './store.bench';

const VMS = Number(process.env.BENCH_VMS ?? 2000);
const CYCLES = Number(process.env.CYCLES ?? 480);
const SAMPLE = Number(process.env.SAMPLE ?? 40);
const WARM = Number(process.env.WARM ?? 0);
const PER_HOST = 50;
const HOSTS = Math.ceil(VMS / PER_HOST);
const PAGE = 4096;

/** Page numbers of the frames in a WAL file (32-byte header, then 24-byte frame headers + pages). */
function walPages(path: string): number[] {
  let fd: number;
  try {
    fd = openSync(`${path}-wal`, 'r');
  } catch {
    return [];
  }
  const size = fstatSync(fd).size;
  const pages: number[] = [];
  const header = Buffer.alloc(24);
  for (let off = 32; off + 24 + PAGE <= size; off += 24 + PAGE) {
    readSync(fd, header, 0, 24, off);
    pages.push(header.readUInt32BE(0));
  }
  closeSync(fd);
  return pages;
}

const path = join(tempDir('store-pages'), 'history.db');
let nowMs = Date.UTC(2026, 10, 20, 0, 0, 0);
const store = new HistoryStore({ path, now: () => nowMs });
const hosts = Array.from({ length: HOSTS }, (_, h) => `host-${h}`);
for (const [h, id] of hosts.entries()) store.write(snapshot(id, nowMs, PER_HOST, h * PER_HOST));
prefill(store, Math.floor(nowMs / 1000));
store.db.pragma('wal_autocheckpoint = 0');
store.db.pragma('wal_checkpoint(TRUNCATE)');
const dbstat = store.db.prepare('SELECT pageno, name FROM dbstat');
const byName = new Map<string, number>();
let frames = 0;
for (let c = 1; c <= CYCLES; c++) {
  nowMs += 10_000;
  store.writeBatch(hosts.map((id, h) => ({ snapshot: snapshot(id, nowMs, PER_HOST, h * PER_HOST) })));
  const pages = c > WARM ? walPages(path) : [];
  frames += pages.length;
  if (c > WARM && c % SAMPLE === 0) {
    const names = new Map<number, string>();
    for (const r of dbstat.iterate() as Iterable<{ pageno: number; name: string }>) names.set(r.pageno, r.name);
    for (const p of pages) {
      const n = names.get(p) ?? '(freed)';
      byName.set(n, (byName.get(n) ?? 0) + SAMPLE);
    }
  }
  store.db.pragma('wal_checkpoint(TRUNCATE)');
}
process.stdout.write(
  `${HOSTS} hosts × ${PER_HOST} VMs, ${CYCLES - WARM} cycles counted: ${(frames / (CYCLES - WARM)).toFixed(0)} WAL pages per cycle\n`,
);
for (const [n, k] of [...byName].sort((a, b) => b[1] - a[1]))
  process.stdout.write(`  ${n}: ${(k / (CYCLES - WARM)).toFixed(1)}\n`);
store.close();
