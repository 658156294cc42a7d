// A page script (installed before the app loads) that times what the app does with each message
// on its WebSocket: when a live update or a call's result arrives, when the app's own handling of
// it (script, Vue's re-render, ECharts' drawing: all in that one task) is over, and when the main
// thread has finished the next frame after it. Off until the bench switches it on.

/** One live update (`metrics.updated`) followed to the end of the next frame; ms, page clock. */
export interface ProbedUpdate {
  arrived: number;
  /** The app's handler and everything it queued as microtasks (Vue's flush) are done. */
  applied: number;
  /** The next frame's requestAnimationFrame callbacks start. */
  frame: number;
  /** A task posted from that frame runs: the frame's style, layout, paint and commit are done. */
  done: number;
}

/** One call's result, from its arrival to the end of the app's handling of it. */
export interface ProbedResult {
  arrived: number;
  applied: number;
  bytes: number;
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
  events: ProbedEvent[];
}

/**
 * The first listener is added in the constructor, before the app's; the second when the app first
 * sends (its own listener is in place by then), so it runs after the app's handler and the
 * microtask checkpoint that follows it.
 */
export const WS_PROBE = `(() => {
  const probe = (window.__vdProbe = { on: false, updates: [], results: [], events: [] });
  let current = null;
  const after = (e) => {
    const c = current;
    current = null;
    if (!c || !probe.on) return;
    const applied = performance.now();
    if (c.kind === 'res') {
      probe.results.push({ arrived: c.arrived, applied, bytes: c.bytes });
      return;
    }
    if (c.kind === 'other') {
      probe.events.push({ name: c.name, arrived: c.arrived, applied });
      return;
    }
    requestAnimationFrame(() => {
      const frame = performance.now();
      const ch = new MessageChannel();
      ch.port1.onmessage = () => probe.updates.push({ arrived: c.arrived, applied, frame, done: performance.now() });
      ch.port2.postMessage(0);
    });
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
        current = kind
          ? { kind, arrived: performance.now(), bytes: e.data.length, name: kind === 'other' ? e.data.slice(20, 60).split('"')[0] : '' }
          : null;
      });
    }
    send(data) {
      if (!this.__vdAfter) {
        this.__vdAfter = true;
        this.addEventListener('message', after);
      }
      return super.send(data);
    }
  }
  window.WebSocket = ProbedSocket;
})()`;
