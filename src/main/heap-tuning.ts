// V8's heap sizing for VirtDeck's long-running main process (serve and the Electron main alike):
// the old generation may grow only a set fraction past what survived the last full GC.
import { setFlagsFromString } from 'node:v8';

/**
 * Why: what a collector cycle keeps until the next one (every VM's figures and counters, the
 * store's last row per host) lives exactly one cycle, so V8 promotes it to the old generation,
 * where it dies — ~20 MB a cycle at 10,000 VMs. V8's default heuristics then let the old
 * generation grow to 2.5–3 × what survived the last full GC before collecting it again (serve
 * measured: ~70 MB live, ~190 MB of heap, RSS up to ~340 MB, with a full GC every ~40 s). A
 * growth of 20 % collects every 2–3 s instead; each full GC marks the live heap, so the cost
 * is CPU (measured in the collector bench, `collector.serve_cpu_pct`: ~2 % of a core at
 * 10,000 VMs; 10 % cost ~4 %, 30 % ~1 % but left ~6 MB more).
 */
export const HEAP_GROWING_PERCENT = 20;

/** Set to `0` to keep V8's own heuristics (e.g. to measure the difference). */
export const HEAP_TUNING_ENV = 'VIRTDECK_HEAP_TUNING';

/**
 * Applies the heap tuning to this process (before the services start). It is a V8 flag read at
 * every full GC, so setting it at run time takes effect from the next one. Returns whether it
 * was applied.
 */
export function tuneHeapForLongRun(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env[HEAP_TUNING_ENV] === '0') return false;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return true;
}
