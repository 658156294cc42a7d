// Child of heap-tuning.test.ts: a collector-like heap (a live set, and data that lives exactly
// one "cycle", so it is promoted and dies in the old generation), with or without the app's
// heap tuning; prints the old generation's peak size and the live size after a full GC (MB).
import { getHeapSpaceStatistics } from 'node:v8';
import { tuneHeapForLongRun } from '../../src/main/heap-tuning';

const tuned = tuneHeapForLongRun();
const oldSpace = () => getHeapSpaceStatistics().find((s) => s.space_name === 'old_space')?.space_size ?? 0;
const live: { id: number; name: string; values: number[] }[] = [];
for (let i = 0; i < 300_000; i++) live.push({ id: i, name: `vm-${i}`, values: [i * 0.5, i * 1.5] });
let kept: { a: number; b: number[] }[] = [];
let peak = 0;
async function main(): Promise<void> {
  for (let cycle = 0; cycle < 60; cycle++) {
    const next: { a: number; b: number[] }[] = [];
    for (let i = 0; i < 100_000; i++) next.push({ a: i * 1.5, b: [i, 2.5] });
    kept = next; // the previous cycle's data dies now, in the old generation
    peak = Math.max(peak, oldSpace());
    await new Promise((r) => setTimeout(r, 5));
  }
  (globalThis as { gc?: () => void }).gc?.();
  const mb = (n: number) => +(n / 2 ** 20).toFixed(1);
  const used = getHeapSpaceStatistics().find((s) => s.space_name === 'old_space')?.space_used_size ?? 0;
  process.stdout.write(
    JSON.stringify({ tuned, peakMb: mb(peak), liveMb: mb(used), keep: live.length + kept.length }) + '\n',
  );
}
void main();
