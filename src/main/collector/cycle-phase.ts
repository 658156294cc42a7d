// When a host's next cycle starts. Every host keeps its own slot in the interval (a phase taken
// from its id, as Prometheus offsets each target's scrapes), so a fleet's hosts do not all
// answer, get parsed and get stored in the same moment: 200 hosts started together otherwise
// stay in step forever, and the main process spent ~0.5 s of every 10 in one burst, its event
// loop blocked for 50–230 ms at a time (measured in serve, 200 × 50 simulated VMs).
// A host's first cycle runs at once (the fleet shows up immediately); the cycles after it move
// towards the host's slot by at most a quarter interval each, only ever earlier, so a gap is
// never longer than the interval (the data never looks late) and the slot is reached within
// four cycles. Once there, a timer that fired late is pulled back onto the slot: no drift.

/** The share of the interval at which checks may move a cycle earlier. */
const MAX_SHIFT = 0.25;

/** The host's slot in [0, intervalMs): a hash of its id (FNV-1a, mixed), spread over the interval. */
export function phaseOf(id: string, intervalMs: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // murmur3's finaliser: ids that differ in their last characters land far apart
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h = (h ^ (h >>> 16)) >>> 0;
  return Math.floor((h / 2 ** 32) * intervalMs);
}

/** When the cycle after one that started at `startedMs` (epoch ms) should start. */
export function nextCycleAt(startedMs: number, intervalMs: number, phaseMs: number): number {
  const due = startedMs + intervalMs;
  // how far `due` is past the slot at or before it
  const past = (((due - phaseMs) % intervalMs) + intervalMs) % intervalMs;
  return due - Math.min(past, MAX_SHIFT * intervalMs);
}
