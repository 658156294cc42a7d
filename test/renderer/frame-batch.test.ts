// Live updates applied once per frame: every store's queued work in one animation-frame callback,
// once however often it was asked for, a timer when no frame comes (a hidden page).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

let frames: FrameRequestCallback[] = [];
const nextFrame = () => {
  const due = frames;
  frames = [];
  due.forEach((f) => f(performance.now()));
};

describe('frame batch', () => {
  beforeEach(() => {
    vi.resetModules();
    vi.useFakeTimers();
    frames = [];
    vi.stubGlobal('requestAnimationFrame', (f: FrameRequestCallback) => frames.push(f));
    vi.stubGlobal('cancelAnimationFrame', () => undefined);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('runs each queued flush once, in the next frame, all in one callback', async () => {
    const { onNextFrame } = await import('../../src/renderer/stores/frame-batch');
    const ran: string[] = [];
    const a = () => ran.push('a');
    const b = () => ran.push('b');
    onNextFrame(a);
    onNextFrame(b);
    onNextFrame(a);
    expect(frames).toHaveLength(1);
    expect(ran).toEqual([]);
    nextFrame();
    expect(ran).toEqual(['a', 'b']);
    vi.runAllTimers(); // the fallback timer was cleared with the frame
    expect(ran).toEqual(['a', 'b']);
    onNextFrame(b);
    nextFrame();
    expect(ran).toEqual(['a', 'b', 'b']);
  });

  it('runs on a timer when no frame comes', async () => {
    const { onNextFrame } = await import('../../src/renderer/stores/frame-batch');
    const ran: string[] = [];
    onNextFrame(() => ran.push('x'));
    vi.advanceTimersByTime(200);
    expect(ran).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(ran).toEqual(['x']);
    nextFrame(); // the late frame finds nothing to do
    expect(ran).toEqual(['x']);
  });

  it('a failing flush does not keep the others from running', async () => {
    const { onNextFrame } = await import('../../src/renderer/stores/frame-batch');
    const errors: unknown[] = [];
    const ran: string[] = [];
    vi.stubGlobal('queueMicrotask', (f: () => void) => {
      try {
        f();
      } catch (e) {
        errors.push(e);
      }
    });
    onNextFrame(() => {
      throw new Error('broken store');
    });
    onNextFrame(() => ran.push('ok'));
    nextFrame();
    expect(ran).toEqual(['ok']);
    expect(errors).toEqual([new Error('broken store')]);
  });
});
