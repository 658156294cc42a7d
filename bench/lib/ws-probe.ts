// A page script (installed before the app loads) that times what the app does with each message
// on its WebSocket: when a live update or a call's result arrives, when the app's own handling of
// it (script, Vue's re-render, ECharts' drawing: all in that one task) is over, and when the main
// thread has finished the next frame after it. It also times the app's requestAnimationFrame
// callbacks (with the microtasks they queue): the app applies live updates there, once a frame
// (src/renderer/stores/frame-batch.ts), so that work belongs to the updates too. Off until the
// bench switches it on.

/** One live update (`metrics.updated`) followed to the end of the next frame; ms, page clock. */
export interface ProbedUpdate {
  arrived: number;
  /** The app's handler and everything it queued as microtasks (Vue's flush) are done. */
  applied: number;
  /** The next frame's requestAnimationFrame callbacks start (the app's, if any, among them). */
  frame: number;
  /** A task posted from that frame runs: the frame's style, layout, paint and commit are done. */
  done: number;
  /** The app's own requestAnimationFrame work in that frame (shared by the updates it applied). */
  appFrameWork: number;
}

/** One of the app's requestAnimationFrame callbacks, with the microtasks it queued. */
export interface ProbedFrameWork {
  start: number;
  work: number;
}

/** One call's result, from its arrival to the end of the app's handling of it. */
export interface ProbedResult {
  /** The request's id, to match it with its `ProbedRequest`. */
  id: number;
  arrived: number;
  applied: number;
  bytes: number;
}

/** A call the app made (when it was handed to the socket). */
export interface ProbedRequest {
  id: number;
  method: string;
  sent: number;
}

/** Any other event (`host.updated`, alerts …), from its arrival to the end of the app's handling. */
export interface ProbedEvent {
  name: string;
  arrived: number;
  applied: number;
}

export interface Probe {
  on: boolean;
  updates: ProbedUpdate[];
  results: ProbedResult[];
  requests: ProbedRequest[];
  events: ProbedEvent[];
  frameWork: ProbedFrameWork[];
}

/**
 * The first listener is added in the constructor, before the app's; the second when the app first
 * sends (its own listener is in place by then), so it runs after the app's handler and the
 * microtask checkpoint that follows it. Every requestAnimationFrame callback of a frame gets the
 * same timestamp; the first of them to run marks the frame's start, whoever registered it.
 */
export const WS_PROBE = `(() => {
  const probe = (window.__vdProbe = { on: false, updates: [], results: [], requests: [], events: [], frameWork: [] });
  const nativeRaf = window.requestAnimationFrame.bind(window);
  const frames = new Map(); // rAF timestamp -> { start, app }
  const frameOf = (t) => {
    let f = frames.get(t);
    if (!f) {
      f = { start: performance.now(), app: 0 };
      frames.set(t, f);
      if (frames.size > 20) frames.delete(frames.keys().next().value);
    }
    return f;
  };
  window.requestAnimationFrame = (cb) =>
    nativeRaf((t) => {
      const f = frameOf(t);
      const start = performance.now();
      try {
        cb(t);
      } finally {
        // queued after what the callback queued (Vue's flush): runs once that is done
        queueMicrotask(() => {
          const work = performance.now() - start;
          f.app += work;
          if (probe.on) probe.frameWork.push({ start, work });
        });
      }
    });
  let current = null;
  const after = () => {
    const c = current;
    current = null;
    if (!c || !probe.on) return;
    const applied = performance.now();
    if (c.kind === 'res') {
      probe.results.push({ id: c.id, arrived: c.arrived, applied, bytes: c.bytes });
      return;
    }
    if (c.kind === 'other') {
      probe.events.push({ name: c.name, arrived: c.arrived, applied });
      return;
    }
    c.applied = applied;
  };
  const Native = window.WebSocket;
  class ProbedSocket extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        if (!probe.on || typeof e.data !== 'string') return;
        const kind = e.data.startsWith('{"t":"evt","event":"metrics.updated"') ? 'update'
          : e.data.startsWith('{"t":"res"') ? 'res'
          : e.data.startsWith('{"t":"evt"') ? 'other' : null;
        const c = kind
          ? { kind, arrived: performance.now(), applied: 0, bytes: e.data.length,
              id: kind === 'res' ? Number(/^{"t":"res","id":(\\d+)/.exec(e.data)?.[1] ?? -1) : -1,
              name: kind === 'other' ? e.data.slice(20, 60).split('"')[0] : '' }
          : null;
        current = c;
        if (kind !== 'update') return;
        // registered before the app handles the message: this frame is the one that shows it
        nativeRaf((t) => {
          const f = frameOf(t);
          const ch = new MessageChannel();
          ch.port1.onmessage = () =>
            probe.updates.push({ arrived: c.arrived, applied: c.applied, frame: f.start, done: performance.now(), appFrameWork: f.app });
          ch.port2.postMessage(0);
        });
      });
    }
    send(data) {
      if (!this.__vdAfter) {
        this.__vdAfter = true;
        this.addEventListener('message', after);
      }
      if (probe.on && typeof data === 'string') {
        const m = /^{"t":"req","id":(\\d+),"method":"([^"]+)"/.exec(data);
        if (m) probe.requests.push({ id: Number(m[1]), method: m[2], sent: performance.now() });
      }
      return super.send(data);
    }
  }
  window.WebSocket = ProbedSocket;
})()`;
