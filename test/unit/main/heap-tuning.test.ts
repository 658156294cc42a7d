// The main process's heap tuning, in a child process of its own (a V8 flag is process-wide):
// with it, the old generation stays within a small multiple of the live heap while data that
// lives one cycle is promoted and dies there; without it (VIRTDECK_HEAP_TUNING=0), V8 lets the
// old generation grow several times further before collecting.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

interface Growth {
  tuned: boolean;
  peakMb: number;
  liveMb: number;
}

function run(tuning: '1' | '0'): Growth {
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'test/helpers/heap-growth-child.ts'], {
    encoding: 'utf8',
    env: { ...process.env, VIRTDECK_HEAP_TUNING: tuning },
    timeout: 60_000,
  });
  if (r.status !== 0) throw new Error(`heap-growth child failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as Growth;
}

describe('heap tuning of the main process', () => {
  it('keeps the old generation near the live heap; V8 alone lets it grow much further', () => {
    const tuned = run('1');
    const plain = run('0');
    expect(tuned.tuned).toBe(true);
    expect(plain.tuned).toBe(false);
    // measured: tuned 105–129 MB, V8 alone 257–373 MB, over a live set of ~56 MB
    expect(tuned.peakMb).toBeLessThan(3 * tuned.liveMb);
    expect(plain.peakMb).toBeGreaterThan(1.5 * tuned.peakMb);
  }, 120_000);
});
