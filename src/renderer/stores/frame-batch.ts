// Live events applied once per frame: the stores queue what a message brings and apply it in the
// next animation frame, all stores in one callback, so a burst of host cycles (a whole fleet
// reporting within a second) costs one Vue re-render per frame instead of one per message.

type Flush = () => void;

/** A hidden page gets no frames; its stores still catch up (background timers run ~once a second). */
const HIDDEN_FALLBACK_MS = 250;

const pending = new Set<Flush>();
let frame: number | null = null;
let timer: ReturnType<typeof setTimeout> | null = null;

function run(): void {
  if (frame !== null && typeof cancelAnimationFrame === 'function') cancelAnimationFrame(frame);
  if (timer !== null) clearTimeout(timer);
  frame = null;
  timer = null;
  const flushes = [...pending];
  pending.clear();
  for (const f of flushes) {
    try {
      f();
    } catch (e) {
      // one store's failure must not keep the others' updates from the screen
      queueMicrotask(() => {
        throw e;
      });
    }
  }
}

/**
 * Runs `flush` in the next frame (once, however often it is asked for before then). Where there
 * are no frames (tests under Node) or none come (a hidden page), a timer runs it instead.
 */
export function onNextFrame(flush: Flush): void {
  pending.add(flush);
  if (timer !== null) return;
  timer = setTimeout(run, typeof requestAnimationFrame === 'function' ? HIDDEN_FALLBACK_MS : 0);
  if (typeof requestAnimationFrame === 'function') frame = requestAnimationFrame(run);
}
