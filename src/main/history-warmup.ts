// Runs the VM detail's history query a few times after the core has started, through the path a
// page's call takes (the RPC server's validation, the `history.seriesMany` handler, the store's
// query, JSON encoding) and throws the answers away. V8 compiles a function on its first call and
// optimises it only after several, and SQLite reads a statement's pages on its first run: without
// this, the first VM page of a session waited ~65–220 ms for an answer later ones got in ~25.
import type { SeriesTarget } from '../shared/model/history';
import { VM_DETAIL_METRICS } from '../shared/model/vm-detail';
import type { VmValue } from '../shared/contract/api';
import type { ServerMessage } from '../shared/rpc/messages';
import type { EventHub } from '../shared/rpc/event-hub';
import { serveConnection } from '../shared/rpc/server';
import type { Handlers } from '../shared/rpc/server';
import type { Transport } from '../shared/rpc/transport';

const DAY_MS = 86_400_000;
/** What a 24 h chart about 600 px wide asks for: rolled-up minutes, bucketed again to fit. */
const WARM_UP_POINTS = 600;
/** When the runs start after `start()`, and how far apart: after the first host cycles, at 10 s. */
export const WARM_UP_DELAYS_MS = [3_000, 6_000, 12_000, 20_000] as const;

/**
 * The VM to query: the one with the newest stored value when the core starts (its history is
 * the most likely to cover the last 24 h, so every part of the query runs: rollups and raw).
 */
export function warmUpTarget(values: readonly VmValue[]): SeriesTarget | null {
  let best: VmValue | null = null;
  for (const v of values) if (!best || v.ts > best.ts) best = v;
  return best ? { kind: 'vm', hostId: best.hostId, uuid: best.uuid } : null;
}

/** The call a 24 h VM page makes, for `target`, ending at `now`. */
export function warmUpRequest(target: SeriesTarget, now: number) {
  return {
    target,
    metrics: [...VM_DETAIL_METRICS],
    from: now - DAY_MS,
    to: now,
    maxPoints: WARM_UP_POINTS,
  };
}

/**
 * One call through a one-request connection of the RPC server; resolves with the length of the
 * JSON answer (what the WebSocket would have sent), or null for an error. Events published
 * meanwhile are dropped.
 */
export function callOnce(handlers: Handlers, hub: EventHub, method: string, params: unknown): Promise<number | null> {
  return new Promise((resolve) => {
    const inbox: { receiver?: (m: unknown) => void } = {};
    const closers = new Set<() => void>();
    const transport: Transport<unknown, ServerMessage> = {
      send(message) {
        if (message.t === 'evt') return;
        resolve(message.t === 'res' ? JSON.stringify(message).length : null);
        closers.forEach((c) => c());
      },
      onMessage(r) {
        inbox.receiver = r;
        return () => delete inbox.receiver;
      },
      onClose(listener) {
        closers.add(listener);
        return () => closers.delete(listener);
      },
    };
    serveConnection(transport, handlers, hub);
    inbox.receiver?.({ t: 'req', id: 1, method, params });
  });
}

export interface HistoryWarmUpOptions {
  handlers: Handlers;
  hub: EventHub;
  /**
   * The VM to query: asked when scheduled (before this session's first cycles are stored) and
   * again at a run while it has none (no history yet: that run is skipped).
   */
  target: () => SeriesTarget | null;
  delaysMs?: readonly number[];
  now?: () => number;
}

/** Schedules the runs (timers that never keep the process alive); returns a function that cancels the rest. */
export function scheduleHistoryWarmUp({
  handlers,
  hub,
  target,
  delaysMs = WARM_UP_DELAYS_MS,
  now = Date.now,
}: HistoryWarmUpOptions): () => void {
  let chosen = target();
  const timers = delaysMs.map((ms) =>
    setTimeout(() => {
      chosen ??= target();
      if (chosen) void callOnce(handlers, hub, 'history.seriesMany', warmUpRequest(chosen, now()));
    }, ms),
  );
  timers.forEach((t) => t.unref?.());
  return () => timers.forEach((t) => clearTimeout(t));
}
