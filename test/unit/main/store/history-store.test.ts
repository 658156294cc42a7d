// The history store on a real SQLite file with a fake clock: what goes in comes back at every
// tier, across chunk boundaries, out of order and twice; retention; migrations; a full disk.
import { copyFileSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../../../src/main/store/history-store';
import { exportCsv, lastValues, querySeries, topVms } from '../../../../src/main/store/history-query';
import { SCHEMA_VERSION } from '../../../../src/main/store/migrations';
import { StoreError } from '../../../../src/main/store/database';
import { decodeHeadRow, encodeHeadRow } from '../../../../src/main/store/head-log';
import { quantize } from '../../../../src/main/store/codec';
import { snapshot, vmFigures } from '../../../helpers/snapshots';
import { tempDir } from '../../../helpers/temp';

const T0 = Date.UTC(2026, 10, 1, 0, 0, 0); // a day boundary
const stores: HistoryStore[] = [];
afterEach(() => stores.splice(0).forEach((s) => s.close()));

function open(clock: { now: number }, path = join(tempDir('store'), 'history.db'), extra = {}) {
  const s = new HistoryStore({ path, now: () => clock.now, sealDelaySec: () => 60, ...extra });
  stores.push(s);
  return s;
}

/** Writes `cycles` snapshots of one host every 10 s from `start`, advancing the clock. */
function fill(store: HistoryStore, clock: { now: number }, start: number, cycles: number, vms = 3) {
  for (let i = 0; i < cycles; i++) {
    clock.now = start + i * 10_000;
    store.write(snapshot('h1', clock.now, vms));
  }
}

const vm0 = { kind: 'vm' as const, hostId: 'h1', uuid: vmFigures(0, 0).uuid as string };
const expectedCpu = (tsMs: number) => vmFigures(0, tsMs / 1000).cpuPct;

describe('HistoryStore', () => {
  it('returns raw samples exactly across sealed chunks and the head', () => {
    const clock = { now: T0 };
    const store = open(clock);
    fill(store, clock, T0, 3 * 360 + 50); // three sealed hours and a head
    const n = (store.db.prepare('SELECT COUNT(*) AS n FROM chunks WHERE tier = 0').get() as { n: number }).n;
    expect(n).toBeGreaterThan(0);
    const r = querySeries(store, vm0, 'cpu_pct', T0 + 3000 * 1000, T0 + 3 * 3600 * 1000 + 300_000, 5000, clock.now);
    expect(r.tier).toBe('raw');
    expect(r.ts.length).toBe((3 * 3600 + 300 - 3000) / 10);
    r.ts.forEach((t, i) => expect(r.avg[i]).toBe(expectedCpu(t)));
  });

  it('keeps correct min/avg/max in the one-minute and one-hour tiers', () => {
    const clock = { now: T0 };
    const store = open(clock);
    fill(store, clock, T0, 26 * 360); // a whole day and two hours: the day is rolled up
    expect(
      (store.db.prepare('SELECT COUNT(*) AS n FROM chunks WHERE tier = 2').get() as { n: number }).n,
    ).toBeGreaterThan(0);
    const minute = querySeries(store, vm0, 'cpu_pct', T0, T0 + 2 * 3600 * 1000, 120, clock.now);
    expect(minute.tier).toBe('1m');
    expect(minute.stepSec).toBe(60);
    for (let k = 0; k < minute.ts.length; k++) {
      const t0 = minute.ts[k] as number;
      const xs = Array.from({ length: 6 }, (_, j) => expectedCpu(t0 + j * 10_000) as number);
      expect(minute.min[k]).toBe(Math.min(...xs));
      expect(minute.max[k]).toBe(Math.max(...xs));
      // averages are kept at the metric's resolution (0.01 %): within half a step
      expect(Math.abs((minute.avg[k] ?? NaN) - xs.reduce((a, b) => a + b, 0) / 6)).toBeLessThanOrEqual(0.005 + 1e-9);
    }
    const hour = querySeries(store, vm0, 'cpu_pct', T0, T0 + 26 * 3600 * 1000, 26, clock.now + 30 * 86400_000);
    expect(hour.tier).toBe('1h');
    expect(hour.ts.length).toBeLessThanOrEqual(26);
    const xs = Array.from({ length: 360 }, (_, j) => expectedCpu(T0 + j * 10_000) as number);
    expect(hour.min[0]).toBe(Math.min(...xs));
    expect(hour.max[0]).toBe(Math.max(...xs));
    expect(hour.avg[0]).toBeCloseTo(xs.reduce((a, b) => a + b, 0) / 360, 1);
  });

  it('never returns more points than asked for', () => {
    const clock = { now: T0 };
    const store = open(clock);
    fill(store, clock, T0, 720);
    for (const max of [1, 7, 100, 719]) {
      const r = querySeries(store, vm0, 'cpu_pct', T0, T0 + 7200_000, max, clock.now);
      expect(r.ts.length).toBeLessThanOrEqual(max);
      expect(r.ts.length).toBeGreaterThan(0);
    }
    // the stored one-minute rollups serve a span asked at about a minute per point (2 h in 115
    // points: 62.6 s), the raw samples one asked finer (2 h in 200 points: 36 s)
    const minute = querySeries(store, vm0, 'cpu_pct', T0, T0 + 7200_000, 115, clock.now);
    expect([minute.tier, minute.stepSec]).toEqual(['1m', 120]);
    expect(querySeries(store, vm0, 'cpu_pct', T0, T0 + 7200_000, 200, clock.now).tier).toBe('raw');
  });

  it('takes out-of-order and duplicate timestamps, and late data for a sealed hour', () => {
    const clock = { now: T0 + 5 * 3600_000 };
    const store = open(clock);
    const at = (s: number, cpu: number) => {
      const snap = snapshot('h1', T0 + s * 1000, 1);
      (snap.vms[0] as { cpuPct: number }).cpuPct = cpu;
      store.write(snap);
    };
    at(30, 3);
    at(10, 1);
    at(20, 2);
    at(20, 2.5); // the same second again: the later write wins
    store.sealHour('h1', Math.floor(T0 / 1000)); // sealed …
    at(40, 4); // … then a late sample for the same hour
    store.sealHour('h1', Math.floor(T0 / 1000));
    const r = querySeries(store, vm0, 'cpu_pct', T0, T0 + 60_000, 100, clock.now);
    expect(r.ts).toEqual([10, 20, 30, 40].map((s) => T0 + s * 1000));
    expect(r.avg).toEqual([1, 2.5, 3, 4]);
  });

  it('answers several metrics of a VM from the head, and sees a second written again between queries', () => {
    const clock = { now: T0 };
    const store = open(clock);
    fill(store, clock, T0, 50); // all in the head
    const range = [T0, T0 + 500_000, 1000, clock.now] as const;
    const cpu = querySeries(store, vm0, 'cpu_pct', ...range);
    const mem = querySeries(store, vm0, 'mem_pct', ...range); // the same head rows, read once
    expect(cpu.ts).toEqual(Array.from({ length: 50 }, (_, i) => T0 + i * 10_000));
    cpu.ts.forEach((t, i) => expect(cpu.avg[i]).toBe(expectedCpu(t)));
    expect(mem.ts).toEqual(cpu.ts);
    expect(mem.avg).toEqual(cpu.ts.map((t) => vmFigures(0, t / 1000).memPct));
    // the same second again (a new row): the next query reads it, not the rows it read before
    const again = snapshot('h1', T0 + 100_000, 3);
    (again.vms[0] as { cpuPct: number }).cpuPct = 77.7;
    store.write(again);
    const after = querySeries(store, vm0, 'cpu_pct', ...range);
    expect(after.ts).toEqual(cpu.ts);
    expect(after.avg[10]).toBe(77.7);
    expect(after.avg.filter((v, i) => v !== cpu.avg[i])).toEqual([77.7]);
  });

  it('keeps a late sample written after every head table was sealed and dropped, across a restart', () => {
    const clock = { now: T0 };
    const path = join(tempDir('store'), 'late.db');
    let store = open(clock, path);
    fill(store, clock, T0, 360); // hour 0, then the host stops reporting
    clock.now = T0 + 2 * 3600_000;
    for (let i = 0; i < 10 && store.headInfo().hours.length > 0; i++) store.maintain('h1');
    expect(store.headInfo().hours).toEqual([]); // sealed, and its table dropped
    store.close();
    store = open(clock, path);
    const late = snapshot('h1', T0 + 5000, 1); // a second between two sealed samples
    (late.vms[0] as { cpuPct: number }).cpuPct = 12.34;
    store.write(late);
    store.close();
    store = open(clock, path); // a new row's id must not fall under the sealed rows' ids …
    expect(store.headInfo().rows).toBe(1);
    for (let i = 0; i < 20 && store.headInfo().hours.length > 0; i++) store.maintain('h1'); // … so it is merged
    expect(store.headInfo().hours).toEqual([]);
    const r = querySeries(store, vm0, 'cpu_pct', T0, T0 + 20_000, 100, clock.now);
    expect(r.ts).toEqual([T0, T0 + 5000, T0 + 10_000]);
    expect(r.avg[1]).toBe(12.34);
  });

  it('stores NaN and Infinity as gaps, not as numbers', () => {
    const clock = { now: T0 };
    const store = open(clock);
    const snap = snapshot('h1', T0, 1);
    (snap.vms[0] as { cpuPct: number }).cpuPct = NaN;
    (snap.vms[0] as { memPct: number }).memPct = Infinity;
    store.write(snap);
    expect(querySeries(store, vm0, 'cpu_pct', T0, T0 + 1000, 10, T0).avg).toEqual([null]);
    expect(querySeries(store, vm0, 'mem_pct', T0, T0 + 1000, 10, T0).avg).toEqual([null]);
  });

  it('gives the latest value of every VM and the top VMs, also after a restart', () => {
    const clock = { now: T0 };
    const path = join(tempDir('store'), 'h.db');
    const store = open(clock, path);
    fill(store, clock, T0, 30, 20);
    const last = lastValues(store, 'mem_pct');
    expect(last).toHaveLength(20);
    expect(last.find((v) => v.name === 'vm-7')?.value).toBe(47);
    const top = topVms(store, 'mem_pct', 300, 3, clock.now);
    expect(top.map((t) => t.name)).toEqual(['vm-19', 'vm-18', 'vm-17']);
    store.close();
    const again = open(clock, path);
    expect(lastValues(again, 'mem_pct').find((v) => v.name === 'vm-7')?.value).toBe(47);
  });

  it('drops sealed head rows from the old end and picks the head up again after a restart', () => {
    const clock = { now: T0 };
    const path = join(tempDir('store'), 'restart.db');
    const first = open(clock, path);
    fill(first, clock, T0, 2 * 360 + 100); // hours 0 and 1 sealed, a head in hour 2
    const oldestHead = (s: HistoryStore) => s.headInfo().hours[0] ?? null;
    expect(oldestHead(first)).toBeGreaterThanOrEqual(T0 / 1000 + 2 * 3600);
    first.close();
    const second = open(clock, path);
    fill(second, clock, T0 + (2 * 360 + 100) * 10_000, 2 * 360); // seals hours 2 and 3 after the restart
    const r = querySeries(second, vm0, 'cpu_pct', T0, clock.now + 1000, 100_000, clock.now);
    expect(r.tier).toBe('raw');
    expect(r.ts).toEqual(Array.from({ length: 4 * 360 + 100 }, (_, i) => T0 + i * 10_000));
    r.ts.forEach((t, i) => expect(r.avg[i]).toBe(expectedCpu(t)));
    expect(oldestHead(second)).toBeGreaterThanOrEqual(T0 / 1000 + 4 * 3600);
  });

  it('tracks VM renames by UUID', () => {
    const clock = { now: T0 };
    const store = open(clock);
    store.write(snapshot('h1', T0, 1));
    const renamed = snapshot('h1', T0 + 10_000, 1);
    (renamed.vms[0] as { name: string }).name = 'db-primary';
    store.write(renamed);
    const names = store.db.prepare('SELECT name FROM vm_names ORDER BY since').all() as { name: string }[];
    expect(names.map((n) => n.name)).toEqual(['vm-0', 'db-primary']);
    expect(store.vmName('h1', vm0.uuid)).toBe('db-primary');
  });

  it('keeps each VM its own series when the VMs of a host come in another order or one goes', () => {
    // the write path first tries the VM that came at the same place last cycle
    const clock = { now: T0 };
    const store = open(clock);
    const vm1 = { ...vm0, uuid: vmFigures(1, 0).uuid as string };
    store.write(snapshot('h1', T0, 3));
    const swapped = snapshot('h1', T0 + 10_000, 3);
    swapped.vms.reverse();
    store.write(swapped);
    const fewer = snapshot('h1', T0 + 20_000, 3);
    fewer.vms.splice(0, 1); // vm-0 gone: vm-1 comes first
    store.write(fewer);
    const back = snapshot('h1', T0 + 30_000, 3);
    (back.vms[1] as { name: string }).name = 'renamed'; // vm-1, at its old place under a new name
    store.write(back);
    // vm-2 deleted and defined again under the same name, at the same place: a new UUID
    const recreated = snapshot('h1', T0 + 40_000, 3);
    Object.assign(recreated.vms[1] as object, { name: 'renamed' });
    Object.assign(recreated.vms[2] as object, { uuid: vmFigures(9, 0).uuid, cpuPct: 99 });
    store.write(recreated);
    const cpu = (target: typeof vm0) => querySeries(store, target, 'cpu_pct', T0, T0 + 40_000, 10, T0 + 40_000);
    const at = (d: number) => expectedCpu(T0 + d);
    expect(cpu(vm0).avg).toEqual([at(0), at(10_000), null, at(30_000)]); // a head row without it: a gap
    expect(cpu(vm1).ts).toEqual([0, 10_000, 20_000, 30_000].map((d) => T0 + d));
    expect(cpu(vm1).avg).toEqual([0, 10_000, 20_000, 30_000].map((d) => vmFigures(1, (T0 + d) / 1000).cpuPct));
    expect(store.vmName('h1', vm1.uuid)).toBe('renamed');
    expect(lastValues(store, 'cpu_pct').map((v) => [v.name, v.uuid])).toEqual([
      ['vm-0', vm0.uuid],
      ['renamed', vm1.uuid],
      ['vm-2', vmFigures(9, 0).uuid],
    ]);
    expect(lastValues(store, 'cpu_pct')[2]?.value).toBe(99);
    const vm2 = { ...vm0, uuid: vmFigures(2, 0).uuid as string };
    expect(querySeries(store, vm2, 'cpu_pct', T0 + 40_000, T0 + 41_000, 10, T0 + 40_000).avg).toEqual([null]);
  });

  it('writes each head row as the head-row encoding of the cycle, ids ascending or not', () => {
    // series ids follow the catalog; VMs first seen later and listed first break their order
    const clock = { now: T0 };
    const store = open(clock);
    store.write(snapshot('h1', T0, 3));
    const shuffled = snapshot('h1', T0 + 10_000, 5);
    shuffled.vms.unshift(...shuffled.vms.splice(3, 2)); // vm-3 and vm-4, new, come first
    const ordered = snapshot('h1', T0 + 20_000, 5);
    for (const [snap, ascending] of [
      [shuffled, false],
      [ordered, true],
    ] as const) {
      store.write(snap);
      const last = store.lastRows.get('h1');
      const row = store.headRowsSince(snap.ts / 1000)[0];
      if (!last || !row) throw new Error('no row');
      const ids = Array.from(last.ids.subarray(0, last.n));
      expect(ids.every((id, i) => i === 0 || id > (ids[i - 1] as number))).toBe(ascending);
      expect(Buffer.from(row.data).toString('hex')).toBe(
        Buffer.from(encodeHeadRow(last.ids, last.qs, last.n)).toString('hex'),
      );
      const values = decodeHeadRow(row.data);
      expect(values).toEqual(new Map(ids.map((id, i) => [id, last.qs[i]])));
      const vm4 = store.findSeries({ kind: 'vm', hostId: 'h1', uuid: vmFigures(4, 0).uuid as string }, 'cpu_pct');
      expect(values.get(vm4?.id as number)).toBe(quantize(vmFigures(4, snap.ts / 1000).cpuPct, 0.01));
    }
  });

  it('deletes what retention no longer keeps, in small steps', () => {
    const clock = { now: T0 };
    const store = open(clock);
    fill(store, clock, T0, 4 * 360);
    const count = () => (store.db.prepare('SELECT COUNT(*) AS n FROM chunks WHERE tier = 0').get() as { n: number }).n;
    const before = count();
    expect(before).toBeGreaterThan(0);
    store.setRetention({ rawHours: 1, minuteDays: 14, hourDays: 365 });
    let steps = 0;
    while (store.retentionStep(Math.floor(clock.now / 1000), 5) > 0) steps++;
    expect(steps).toBeGreaterThan(1); // it took several small batches
    expect(count()).toBeLessThan(before);
    const oldest = store.db.prepare('SELECT MIN(end_ts) AS t FROM chunks WHERE tier = 0').get() as { t: number | null };
    expect(oldest.t === null || oldest.t >= Math.floor(clock.now / 1000) - 3600).toBe(true);
  });

  it('exports CSV with one row per point', () => {
    const clock = { now: T0 };
    const store = open(clock);
    fill(store, clock, T0, 6);
    const csv = exportCsv(
      store,
      { series: [{ target: vm0, metric: 'cpu_pct' }], fromMs: T0, toMs: T0 + 60_000 },
      clock.now,
    );
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('time,host,vm,uuid,metric,avg,min,max');
    expect(lines).toHaveLength(7);
    expect(lines[1]).toBe(
      `${new Date(T0).toISOString()},h1,vm-0,${vm0.uuid},cpu_pct,${expectedCpu(T0)},${expectedCpu(T0)},${expectedCpu(T0)}`,
    );
  });
});

describe('database file', () => {
  it('is created at the current schema version with WAL and foreign keys', () => {
    const clock = { now: T0 };
    const store = open(clock);
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('migrates a database written by the previous release (schema 2) without losing a sample', () => {
    // test/fixtures/history/history-v2.db: written by VirtDeck at schema 2 (the release before
    // the time-ordered chunks), two sealed hours and a head of 50 cycles of host h1's 3 VMs
    const path = join(tempDir('store'), 'history.db');
    copyFileSync(join(__dirname, '../../../fixtures/history/history-v2.db'), path);
    const end = T0 + (2 * 360 + 49) * 10_000;
    const clock = { now: end + 5000 };
    const store = open(clock, path);
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    const r = querySeries(store, vm0, 'cpu_pct', T0, end + 1, 5000, clock.now); // [from, to)
    expect(r.tier).toBe('raw');
    expect(r.ts.length).toBe(2 * 360 + 50); // both sealed hours and every head row
    r.ts.forEach((t, i) => expect(r.avg[i]).toBe(expectedCpu(t)));
    // and it goes on: new cycles are written and the old head is sealed in time
    fill(store, clock, end + 10_000, 360);
    const after = querySeries(store, vm0, 'cpu_pct', T0, clock.now + 1, 10_000, clock.now);
    expect(after.ts.length).toBe(3 * 360 + 50);
    after.ts.forEach((t, i) => expect(after.avg[i]).toBe(expectedCpu(t)));
    const raw = (store.db.prepare('SELECT COUNT(*) AS n FROM chunks WHERE tier = 0').get() as { n: number }).n;
    expect(raw).toBeGreaterThan(60); // the migrated head's hour was sealed beside the two old hours
  });

  it('migrates a database written by the previous release (schema 4) without losing a sample', () => {
    // test/fixtures/history/history-v4.db: written by VirtDeck at schema 4 (one head_log table):
    // hosts h1 (VMs 0–2) and h2 (VM 10) every 10 s for 1,100 cycles from T0, sealed 50 min
    // after each hour, so hours 0 and 1 are chunks and hours 2 and 3 are head rows; then h1's
    // second at cycle 1090 written again without VM 0 (the later write wins: a gap there)
    const path = join(tempDir('store'), 'history.db');
    copyFileSync(join(__dirname, '../../../fixtures/history/history-v4.db'), path);
    const end = T0 + 1099 * 10_000;
    const again = T0 + 1090 * 10_000;
    const clock = { now: end + 5000 };
    let store = open(clock, path);
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    const tables = () => store.db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all();
    expect(tables()).not.toContain('head_log');
    // the fixture's chunks (format 1, deflated), every one, in the tier tables (migration 6)
    const count = (t: string) => store.db.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get();
    expect([count('chunks_raw'), count('chunks_1m'), count('chunks_1h')]).toEqual([88, 88, 0]);
    expect(store.db.prepare("SELECT name FROM pragma_index_list('chunks_raw')").pluck().all()).toContain(
      'chunks_raw_key',
    );
    expect(store.headInfo().hours).toEqual([T0 / 1000 + 2 * 3600, T0 / 1000 + 3 * 3600]);
    const all = (target: typeof vm0, vm: number, upTo: number) => {
      const r = querySeries(store, target, 'cpu_pct', T0, upTo + 1, 100_000, clock.now);
      expect(r.tier).toBe('raw');
      return r.ts.map((t, i) => [t, r.avg[i], t === again && vm === 0 ? null : vmFigures(vm, t / 1000).cpuPct]);
    };
    const h2vm = { kind: 'vm' as const, hostId: 'h2', uuid: vmFigures(10, 0).uuid as string };
    for (const [target, vm] of [
      [vm0, 0],
      [h2vm, 10],
    ] as const) {
      const got = all(target, vm, end);
      expect(got.map(([t]) => t)).toEqual(Array.from({ length: 1100 }, (_, i) => T0 + i * 10_000));
      for (const [, have, want] of got) expect(have).toBe(want);
    }
    // it goes on: new rows are never taken for sealed ones, the migrated hours are sealed (h2,
    // which stopped reporting, too) and their tables dropped, and a restart finds it all
    fill(store, clock, end + 10_000, 2 * 360);
    store.close();
    store = open(clock, path);
    expect(store.headInfo().hours[0]).toBeGreaterThanOrEqual(T0 / 1000 + 4 * 3600);
    const got = all(vm0, 0, clock.now);
    // sealed, VM 0's gap at that second is no point at all
    expect(got.map(([t]) => t)).toEqual(
      Array.from({ length: 1100 + 2 * 360 }, (_, i) => T0 + i * 10_000).filter((t) => t !== again),
    );
    for (const [, have, want] of got) expect(have).toBe(want);
    const h2 = all(h2vm, 10, clock.now);
    expect(h2).toHaveLength(1100);
    for (const [, have, want] of h2) expect(have).toBe(want);
  });

  it('refuses a database from a newer VirtDeck and leaves it untouched', () => {
    const path = join(tempDir('store'), 'newer.db');
    const raw = new Database(path);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    raw.close();
    const bytes = readFileSync(path);
    const mtime = statSync(path).mtimeMs;
    let err: unknown;
    try {
      open({ now: T0 }, path);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).problem).toBe('newer');
    expect((err as StoreError).message).toMatch(/newer VirtDeck \(schema \d+; this version knows up to \d+\)/);
    expect(readFileSync(path).equals(bytes)).toBe(true);
    expect(statSync(path).mtimeMs).toBe(mtime);
  });

  it('pauses on a full disk with a clear status, keeps going live, and resumes by itself', () => {
    const clock = { now: T0 };
    const store = open(clock, join(tempDir('store'), 'small.db'), { maxPageCount: 60 });
    let i = 0;
    while (store.status.ok && i < 5000) {
      clock.now = T0 + i * 10_000;
      store.write(snapshot('h1', clock.now, 40));
      i++;
    }
    expect(store.status.ok).toBe(false);
    expect(store.status.problem).toBe('full');
    expect(store.status.message).toMatch(/disk .* is full: history is paused, live data continues/);
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    // space comes back (here: the page cap is lifted); the next write succeeds without help
    store.db.pragma('max_page_count = 1000000');
    clock.now += 10_000;
    store.write(snapshot('h1', clock.now, 40));
    expect(store.status.ok).toBe(true);
  });

  it('keeps the cycles of a write whose sealing fails (they are written again without it)', () => {
    const clock = { now: T0 };
    const store = open(clock);
    fill(store, clock, T0, 3);
    const sealing = store as unknown as { sealStep: () => boolean };
    sealing.sealStep = () => {
      throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    };
    clock.now = T0 + 2 * 3600_000; // hour 0 is due: this write seals
    store.write(snapshot('h1', clock.now, 3));
    expect(store.status.ok).toBe(true);
    const r = querySeries(store, vm0, 'cpu_pct', T0, clock.now + 1, 100_000, clock.now);
    expect(r.ts).toEqual([0, 1, 2].map((i) => T0 + i * 10_000).concat(clock.now));
  });

  it('gives a VM first seen in a rolled-back write series of its own (ids are not reused)', () => {
    const clock = { now: T0 };
    const store = open(clock);
    fill(store, clock, T0, 3);
    const sealing = store as unknown as { sealStep: (...a: unknown[]) => boolean };
    const real = sealing.sealStep.bind(store);
    sealing.sealStep = () => {
      throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    };
    clock.now = T0 + 2 * 3600_000; // hour 0 is due: this write seals, and fails, rolled back
    store.write(snapshot('h1', clock.now, 4)); // VM 3 appears in it
    sealing.sealStep = real;
    const vm3 = { kind: 'vm' as const, hostId: 'h1', uuid: vmFigures(3, 0).uuid as string };
    const rows = store.db
      .prepare('SELECT COUNT(*) AS n FROM series s JOIN vms v ON v.id = s.vm_id WHERE v.uuid = ?')
      .get(vm3.uuid) as { n: number };
    expect(rows.n).toBeGreaterThan(0);
    // a new host now gets new ids: none of them may be VM 3's
    clock.now += 10_000;
    store.write(snapshot('h2', clock.now, 1));
    const h2 = store.findSeries({ kind: 'host', hostId: 'h2' }, 'cpu_pct');
    expect(h2?.id).not.toBe(store.findSeries(vm3, 'cpu_pct')?.id);
    const r = querySeries(store, vm3, 'cpu_pct', T0, clock.now + 1, 100_000, clock.now);
    // the host's earlier cycles are gaps for VM 3 (it was not there), its one cycle is its own
    const seen = r.ts.flatMap((t, k) => (r.avg[k] === null ? [] : [[t, r.avg[k]]]));
    expect(seen).toEqual([[T0 + 2 * 3600_000, vmFigures(3, (T0 + 2 * 3600_000) / 1000).cpuPct]]);
  });

  it('checkpoints the WAL on a worker thread, not in the commits of writes', async () => {
    const clock = { now: T0 };
    const path = join(tempDir('store'), 'checkpoint.db');
    const store = open(clock, path, { backgroundCheckpoint: true });
    expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBeGreaterThan(1000);
    const before = statSync(path).size; // the database file grows only when a checkpoint copies pages in
    fill(store, clock, T0, 200, 40);
    await expect.poll(() => statSync(path).size, { timeout: 5000 }).toBeGreaterThan(before);
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('reports a database it may not write to', () => {
    const clock = { now: T0 };
    const store = open(clock);
    store.db.pragma('query_only = 1'); // what SQLite reports for a read-only file, without needing one
    store.write(snapshot('h1', T0, 1));
    expect(store.status.problem).toBe('readonly');
    expect(store.status.message).toMatch(/cannot be written/);
  });
});
