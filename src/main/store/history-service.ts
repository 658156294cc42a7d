// History as the rest of the app sees it: opened at start (a database VirtDeck cannot use means
// live-only mode with the reason shown, never a crash), fed each host cycle off the collector's
// hot path, queried through the contract.
import { join } from 'node:path';
import type { HistoryStatus, ParamsOut, Result, VmValue } from '../../shared/contract/api';
import { RpcError } from '../../shared/contract/errors';
import { DEFAULT_RETENTION } from '../../shared/model/history';
import type { Retention, SeriesResult } from '../../shared/model/history';
import type { HostSnapshot } from '../../shared/model/metrics';
import { StoreError } from './database';
import { HistoryStore } from './history-store';
import { exportCsv, lastValues, querySeries, topVms } from './history-query';

/** Cycles are written together once a second: one commit for all hosts (durability bound: 1 s). */
export const FLUSH_INTERVAL_MS = 1000;

export class HistoryService {
  readonly path: string;
  private store: HistoryStore | null = null;
  private openError: StoreError | null = null;
  private queue: { snapshot: HostSnapshot; hostName: string }[] = [];
  private scheduled = false;

  constructor(
    dataDir: string,
    private readonly onStatus: (status: HistoryStatus) => void = () => undefined,
  ) {
    this.path = join(dataDir, 'history.db');
    try {
      this.store = new HistoryStore({ path: this.path, backgroundCheckpoint: true });
    } catch (e) {
      this.openError = e instanceof StoreError ? e : new StoreError('io', String(e));
    }
  }

  /** Queues a cycle; it is written with the others at the next flush, never inside a collector cycle. */
  record(snapshot: HostSnapshot, hostName: string): void {
    if (!this.store) return;
    this.queue.push({ snapshot, hostName });
    if (this.scheduled) return;
    this.scheduled = true;
    setTimeout(() => this.flush(), FLUSH_INTERVAL_MS).unref?.();
  }

  /** Writes everything queued now (also on shutdown). */
  flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    const before = this.store?.status.ok;
    this.store?.writeBatch(batch);
    if (this.store && this.store.status.ok !== before) this.onStatus(this.status());
  }

  status(): HistoryStatus {
    if (this.openError) {
      return {
        ok: false,
        problem: this.openError.problem,
        message: this.openError.message,
        lastWrite: null,
        path: this.path,
      };
    }
    const s = this.store?.status;
    return {
      ok: s?.ok ?? false,
      problem: s?.problem ?? null,
      message: s?.message ?? null,
      lastWrite: s?.lastWrite ?? null,
      path: this.path,
    };
  }

  private need(): HistoryStore {
    if (this.store) return this.store;
    throw new RpcError('unavailable', `history is not available: ${this.openError?.message ?? 'not open'}`);
  }

  series(p: ParamsOut<'history.series'>): SeriesResult {
    return querySeries(this.need(), p.target, p.metric, p.from, p.to, p.maxPoints);
  }

  last(metric: string): VmValue[] {
    return lastValues(this.need(), metric);
  }

  top(p: ParamsOut<'history.top'>): VmValue[] {
    return topVms(this.need(), p.metric, p.windowSec, p.n);
  }

  export(p: ParamsOut<'history.export'>): Result<'history.export'> {
    const csv = exportCsv(this.need(), {
      series: p.series,
      fromMs: p.from,
      toMs: p.to,
      ...(p.maxPoints ? { maxPoints: p.maxPoints } : {}),
    });
    return { csv, rows: Math.max(0, csv.split('\n').length - 2) };
  }

  /** The open database, for the other repositories sharing the file (alerts, tasks); null if unusable. */
  database(): HistoryStore['db'] | null {
    return this.store?.db ?? null;
  }

  retention(): Retention {
    return this.store?.retention ?? DEFAULT_RETENTION;
  }

  setRetention(r: Retention): Retention {
    this.need().setRetention(r);
    return r;
  }

  close(): void {
    this.flush();
    this.store?.close();
  }
}
