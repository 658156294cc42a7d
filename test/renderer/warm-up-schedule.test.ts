// When the VM detail's off-screen warm-up runs: first at once (3 rounds), then a period after
// each finished one (1 round), never while a detail page is open, the page is hidden or the
// user is scrolling or typing.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  WARM_UP_FIRST_ROUNDS,
  WARM_UP_LATER_ROUNDS,
  WARM_UP_PERIOD_MS,
  WARM_UP_RETRY_MS,
  warmUpSchedule,
} from '../../src/renderer/charts/warm-up-schedule';

function setup() {
  const state = { detail: false, visible: true, quiet: true, starts: [] as number[] };
  const s = warmUpSchedule({
    detailOpen: () => state.detail,
    visible: () => state.visible,
    quiet: () => state.quiet,
    start: (r) => state.starts.push(r),
    setTimer: (f, ms) => setTimeout(f, ms),
    clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  });
  return { state, s };
}

describe('warmUpSchedule', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('runs at once, then one round a period after each warm-up has finished', () => {
    const { state, s } = setup();
    s.begin();
    expect(state.starts).toEqual([WARM_UP_FIRST_ROUNDS]);
    s.begin(); // a second begin changes nothing
    vi.advanceTimersByTime(WARM_UP_PERIOD_MS * 3);
    expect(state.starts).toHaveLength(1); // still running: nothing until done()
    s.done();
    vi.advanceTimersByTime(WARM_UP_PERIOD_MS - 1);
    expect(state.starts).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(state.starts).toEqual([WARM_UP_FIRST_ROUNDS, WARM_UP_LATER_ROUNDS]);
    s.done();
    vi.advanceTimersByTime(WARM_UP_PERIOD_MS);
    expect(state.starts).toHaveLength(3);
    s.stop();
    s.done();
    vi.advanceTimersByTime(WARM_UP_PERIOD_MS * 5);
    expect(state.starts).toHaveLength(3);
  });

  it('waits while a detail page is open or the page is hidden', () => {
    const { state, s } = setup();
    state.detail = true;
    s.begin();
    expect(state.starts).toEqual([]);
    vi.advanceTimersByTime(WARM_UP_PERIOD_MS * 2);
    expect(state.starts).toEqual([]);
    state.detail = false;
    state.visible = false;
    vi.advanceTimersByTime(WARM_UP_PERIOD_MS * 2);
    expect(state.starts).toEqual([]);
    state.visible = true;
    vi.advanceTimersByTime(WARM_UP_PERIOD_MS);
    expect(state.starts).toEqual([WARM_UP_FIRST_ROUNDS]);
  });

  it('waits for the user to stop scrolling or typing, asking again soon', () => {
    const { state, s } = setup();
    s.begin();
    s.done();
    state.quiet = false;
    vi.advanceTimersByTime(WARM_UP_PERIOD_MS + WARM_UP_RETRY_MS * 3);
    expect(state.starts).toEqual([WARM_UP_FIRST_ROUNDS]);
    state.quiet = true;
    vi.advanceTimersByTime(WARM_UP_RETRY_MS);
    expect(state.starts).toEqual([WARM_UP_FIRST_ROUNDS, WARM_UP_LATER_ROUNDS]);
  });

  it('a detail opened mid warm-up ends it; the next comes a period later, one round', () => {
    const { state, s } = setup();
    s.begin();
    s.detailOpened();
    state.detail = true;
    vi.advanceTimersByTime(WARM_UP_PERIOD_MS * 3);
    expect(state.starts).toEqual([WARM_UP_FIRST_ROUNDS]);
    state.detail = false;
    s.detailOpened(); // navigations while on details only push the next one back
    vi.advanceTimersByTime(WARM_UP_PERIOD_MS);
    expect(state.starts).toEqual([WARM_UP_FIRST_ROUNDS, WARM_UP_LATER_ROUNDS]);
  });
});
