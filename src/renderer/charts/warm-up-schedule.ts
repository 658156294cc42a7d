// When the off-screen warm-up of the VM detail (DetailWarmUp.vue) runs again. Once is not
// enough: V8 throws away the compiled code of functions left unused for a while (bytecode
// flushing, optimised code dropped on deopts and GCs), and a console left on the grid for a
// while opened its first VM more slowly than the ones after it (docs/ui.md). So while no detail
// page is open and the page is visible, the warm-up repeats every PERIOD_MS, one round each
// time (the first one makes FIRST_ROUNDS). Nothing runs on a detail page (its own charts keep
// the code warm) or in a hidden window, nor while the user is scrolling or typing: a round is
// one idle task of ~40–60 ms (four charts drawn), a frame or three dropped if it fell into a
// scroll; it waits until the input has been quiet for a while, asking again every RETRY_MS.

export const WARM_UP_PERIOD_MS = 12_000;
export const WARM_UP_FIRST_ROUNDS = 3;
export const WARM_UP_LATER_ROUNDS = 1;
export const WARM_UP_RETRY_MS = 1_000;

export interface WarmUpScheduleDeps {
  /** Whether a VM or host detail page is open now. */
  detailOpen(): boolean;
  /** Whether the page is visible (document.visibilityState). */
  visible(): boolean;
  /** Whether the user has been idle long enough (no scroll, wheel, key or pointer input lately). */
  quiet(): boolean;
  /** Mounts the warm-up with so many rounds; the schedule waits for done() before the next. */
  start(rounds: number): void;
  setTimer(f: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
  periodMs?: number;
  retryMs?: number;
}

export interface WarmUpSchedule {
  /** The first warm-up (the detail views' code has loaded): at once unless a detail is open. */
  begin(): void;
  /** The warm-up mounted by start() has drawn and is gone. */
  done(): void;
  /** A detail page was opened: whatever runs is not needed (the caller unmounts it). */
  detailOpened(): void;
  stop(): void;
}

export function warmUpSchedule(deps: WarmUpScheduleDeps): WarmUpSchedule {
  const period = deps.periodMs ?? WARM_UP_PERIOD_MS;
  const retry = deps.retryMs ?? WARM_UP_RETRY_MS;
  let runs = 0;
  let running = false;
  let timer: unknown = null;
  let stopped = false;

  const clear = () => {
    if (timer !== null) deps.clearTimer(timer);
    timer = null;
  };
  const later = (ms = period) => {
    clear();
    if (!stopped) timer = deps.setTimer(tick, ms);
  };
  function tick(): void {
    timer = null;
    if (stopped || running) return;
    if (deps.detailOpen() || !deps.visible()) return later();
    if (!deps.quiet()) return later(retry);
    running = true;
    deps.start(runs++ === 0 ? WARM_UP_FIRST_ROUNDS : WARM_UP_LATER_ROUNDS);
  }
  return {
    begin() {
      if (runs === 0 && !running && timer === null) tick();
    },
    done() {
      running = false;
      later();
    },
    detailOpened() {
      // a warm-up cut short by a navigation counts as done: the next comes a period later
      if (running) running = false;
      later();
    },
    stop() {
      stopped = true;
      clear();
    },
  };
}
