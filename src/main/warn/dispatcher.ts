// Delivers alert transitions to the notifiers: each one on its own, with its severities, timeout
// and retries (exponential backoff with jitter). Never awaited by the evaluator; failures are
// recorded, logged and shown, never thrown.
import type { NotifierConfig, NotifierStatus } from '../../shared/model/warn';
import type { AlertNotification, NotifierContext } from './notifiers/message';
import { senderFor } from './notifiers/registry';

/** More deliveries than this waiting on one notifier: new ones fail at once (a dead endpoint). */
const MAX_IN_FLIGHT = 100;

export interface DispatcherDeps {
  notifiers(): readonly NotifierConfig[];
  ctx: NotifierContext;
  /** One row per delivery (success or final failure). */
  record(n: AlertNotification, notifierId: string, ok: boolean, attempts: number, error: string | null): void;
  onStatus(status: NotifierStatus): void;
  log(line: string): void;
  now(): number;
  /** First retry after this many ms, doubling each time (tests shorten it). */
  backoffMs?: number;
}

export interface Delivery {
  ok: boolean;
  attempts: number;
  error: string | null;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref?.());

export class Dispatcher {
  private readonly statuses = new Map<string, NotifierStatus>();
  private readonly inFlight = new Map<string, number>();
  private readonly pending = new Set<Promise<unknown>>();

  constructor(private readonly deps: DispatcherDeps) {}

  status(id: string, needsSecret: boolean): NotifierStatus {
    const s = this.statuses.get(id) ?? { id, lastOkAt: null, lastErrorAt: null, lastError: null, needsSecret };
    return { ...s, needsSecret };
  }

  /** Hands a transition to every enabled notifier that hears its severity; returns at once. */
  dispatch(n: AlertNotification): void {
    for (const config of this.deps.notifiers()) {
      if (!config.enabled || !config.severities.includes(n.alert.severity)) continue;
      const p = this.deliver(config, n).finally(() => this.pending.delete(p));
      this.pending.add(p);
    }
  }

  /** Delivers one transition through one notifier, with retries; never rejects. */
  async deliver(config: NotifierConfig, n: AlertNotification): Promise<Delivery> {
    const busy = this.inFlight.get(config.id) ?? 0;
    if (busy >= MAX_IN_FLIGHT) {
      return this.finish(config, n, { ok: false, attempts: 0, error: `${busy} deliveries already waiting; dropped` });
    }
    this.inFlight.set(config.id, busy + 1);
    const send = senderFor(config);
    const base = this.deps.backoffMs ?? 1000;
    let error = '';
    let attempt = 0;
    try {
      for (; attempt <= config.retries; attempt++) {
        if (attempt > 0) await sleep(Math.min(30_000, base * 2 ** (attempt - 1)) * (0.8 + Math.random() * 0.4));
        try {
          await send(config, n, this.deps.ctx, AbortSignal.timeout(config.timeoutMs));
          return this.finish(config, n, { ok: true, attempts: attempt + 1, error: null });
        } catch (e) {
          const err = e as Error;
          error = err.name === 'TimeoutError' ? `timed out after ${config.timeoutMs} ms` : err.message;
        }
      }
      return this.finish(config, n, { ok: false, attempts: attempt, error });
    } finally {
      this.inFlight.set(config.id, (this.inFlight.get(config.id) ?? 1) - 1);
    }
  }

  private finish(config: NotifierConfig, n: AlertNotification, d: Delivery): Delivery {
    const now = this.deps.now();
    const prev = this.status(config.id, false);
    const next: NotifierStatus = d.ok ? { ...prev, lastOkAt: now } : { ...prev, lastErrorAt: now, lastError: d.error };
    this.statuses.set(config.id, next);
    if (!d.ok) {
      this.deps.log(
        `notifier ${config.id} (${config.kind}) failed for alert ${n.alarm_id} after ${d.attempts} attempt(s): ${d.error}`,
      );
    }
    try {
      this.deps.record(n, config.id, d.ok, d.attempts, d.error);
    } catch (e) {
      this.deps.log(`notifier ${config.id}: could not record the delivery: ${(e as Error).message}`);
    }
    this.deps.onStatus(next);
    return d;
  }

  /** Waits for deliveries under way (shutdown, tests). */
  async drain(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }
}
