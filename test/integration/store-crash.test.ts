// kill -9 while writing: the database always opens, passes integrity_check, and holds every
// cycle the writer had acknowledged (each cycle is committed: the loss bound is one cycle).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../src/main/store/history-store';
import { querySeries } from '../../src/main/store/history-query';
import { vmFigures } from '../helpers/snapshots';
import { tempDir } from '../helpers/temp';

const ROUNDS = 20;
const path = join(tempDir('crash'), 'history.db');
const vm0 = { kind: 'vm' as const, hostId: 'h1', uuid: vmFigures(0, 0).uuid as string };

function runAndKill(startMs: number, killAfterMs: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/crash-writer.ts', path, String(startMs)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      timer ??= setTimeout(() => child.kill('SIGKILL'), killAfterMs); // counted from the first write
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') return reject(new Error(`writer ended by itself (${code}): ${err}`));
      // the last line may be cut mid-write by the kill: only whole lines were acknowledged
      const acked = out.split('\n').slice(0, -1).map(Number);
      resolve(acked);
    });
  });
}

describe('history store under kill -9', () => {
  const opened: HistoryStore[] = [];
  afterAll(() => opened.forEach((s) => s.close()));

  it(`survives ${ROUNDS} kills at random moments with no acknowledged cycle lost`, async () => {
    let total = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const start = Date.UTC(2026, 0, 1) + round * 30 * 86400_000;
      const acked = await runAndKill(start, 150 + Math.floor(Math.random() * 900));
      expect(acked.length).toBeGreaterThan(0);
      total += acked.length;
      const store = new HistoryStore({ path, now: () => (acked.at(-1) as number) + 60_000, sealDelaySec: () => 0 });
      opened.push(store);
      expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
      const last = acked.at(-1) as number;
      const r = querySeries(store, vm0, 'cpu_pct', start, last + 1000, 1_000_000, last);
      const have = new Set(r.ts);
      const missing = acked.filter((t) => !have.has(t));
      expect(missing, `round ${round}: acknowledged but lost`).toEqual([]);
      store.close();
    }
    expect(total).toBeGreaterThan(ROUNDS);
  });
});
