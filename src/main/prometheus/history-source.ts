// Prometheus as a history source behind `history.series`: with a URL set, ranges the local file
// does not cover (or every range, by choice) come from PromQL range queries in VirtDeck's units,
// so the charts stay the same. A failure never hides the local data: the reply carries the local
// series and the reason in words.
import type { ParamsOut } from '../../shared/contract/api';
import type { Retention, SeriesResult, Tier } from '../../shared/model/history';
import type { PrometheusMode, PrometheusSettings } from '../../shared/model/prometheus';
import { JsonFile } from '../config/json-file';
import type { SessionSecrets } from '../config/session-secrets';
import { PrometheusError, queryRange } from './prometheus-api';
import type { MatrixSeries, PrometheusTarget } from './prometheus-api';
import { hostSelector, metricExpr, rangePlan, vmSelector } from './promql';
import type { RangePlan } from './promql';

/** The token is kept with the SSH secrets (desktop: the OS keychain; headless: this session). */
export const TOKEN_SECRET_ID = '__prometheus__';

interface StoredSettings {
  url: string | null;
  mode: PrometheusMode;
}

export interface PrometheusHistoryDeps {
  /** prometheus.json in the data directory (URL and mode; never the token). */
  path: string;
  secrets: SessionSecrets;
  tokenPersistent: boolean;
  /** A host's name (the `host` label of the exposition), null when unknown. */
  hostName: (hostId: string) => string | null;
  retention: () => Retention;
  now?: () => number;
}

type SeriesParams = ParamsOut<'history.series'>;

const tierOf = (stepSec: number): Tier => (stepSec < 60 ? 'raw' : stepSec < 3600 ? '1m' : '1h');

/** A matrix on the plan's grid; several series (a VM seen on two hosts) are averaged per point. */
export function matrixToSeries(matrix: readonly MatrixSeries[], plan: RangePlan): SeriesResult {
  const n = Math.floor((plan.end - plan.start) / plan.step) + 1;
  const sum = new Array<number>(n).fill(0);
  const count = new Array<number>(n).fill(0);
  const min = new Array<number | null>(n).fill(null);
  const max = new Array<number | null>(n).fill(null);
  for (const s of matrix) {
    for (const [t, text] of s.values) {
      const i = Math.round((t - plan.start) / plan.step);
      const v = Number(text);
      if (i < 0 || i >= n || !Number.isFinite(v)) continue;
      sum[i] = (sum[i] ?? 0) + v;
      count[i] = (count[i] ?? 0) + 1;
      min[i] = Math.min(min[i] ?? v, v);
      max[i] = Math.max(max[i] ?? v, v);
    }
  }
  const ts: number[] = [];
  const avg: (number | null)[] = [];
  for (let i = 0; i < n; i++) {
    ts.push((plan.start + i * plan.step) * 1000);
    avg.push(count[i] ? (sum[i] ?? 0) / (count[i] ?? 1) : null);
  }
  return { tier: tierOf(plan.step), stepSec: plan.step, ts, avg, min, max, source: 'prometheus' };
}

export class PrometheusHistory {
  private readonly file: JsonFile<StoredSettings>;
  private readonly now: () => number;

  constructor(private readonly deps: PrometheusHistoryDeps) {
    this.file = new JsonFile<StoredSettings>(deps.path, { url: null, mode: 'beyond-retention' });
    this.now = deps.now ?? Date.now;
  }

  settings(): PrometheusSettings {
    const s = this.file.read();
    return {
      url: s.url,
      mode: s.mode,
      hasToken: this.token() !== undefined,
      tokenPersistent: this.deps.tokenPersistent,
    };
  }

  setSettings(input: { url: string; mode: PrometheusMode; token?: string | undefined }): PrometheusSettings {
    this.file.write({ url: input.url === '' ? null : input.url, mode: input.mode });
    if (input.token !== undefined) {
      this.deps.secrets.set(TOKEN_SECRET_ID, { password: input.token === '' ? undefined : input.token });
    }
    return this.settings();
  }

  private token(): string | undefined {
    return this.deps.secrets.get(TOKEN_SECRET_ID).password;
  }

  /** Does the local history leave the start of this range uncovered? */
  private beyondLocal(p: SeriesParams, local: SeriesResult | null): boolean {
    const oldestKept = this.now() - this.deps.retention().hourDays * 86_400_000;
    if (p.from < oldestKept) return true;
    const first = local?.avg.findIndex((v) => v !== null) ?? -1;
    if (!local || first < 0) return true;
    const slack = Math.max(2 * local.stepSec, 120) * 1000;
    return (local.ts[first] ?? Infinity) > p.from + slack;
  }

  /** The series a chart asked for: local, or from Prometheus when configured and wanted. */
  async series(p: SeriesParams, local: () => SeriesResult): Promise<SeriesResult> {
    let localResult: SeriesResult | null = null;
    let localError: unknown = null;
    try {
      localResult = { ...local(), source: 'local' };
    } catch (e) {
      localError = e;
    }
    const { url, mode } = this.file.read();
    if (!url || (mode === 'beyond-retention' && !this.beyondLocal(p, localResult))) {
      if (!localResult) throw localError;
      return localResult;
    }
    try {
      return await this.fromPrometheus(p, { url, token: this.token() });
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      const fallback = localResult ?? { tier: 'raw' as const, stepSec: 0, ts: [], avg: [], min: [], max: [] };
      return { ...fallback, source: 'local', sourceError: `${why}. Showing local history.` };
    }
  }

  private async fromPrometheus(p: SeriesParams, target: PrometheusTarget): Promise<SeriesResult> {
    const plan = rangePlan(p.from, p.to, p.maxPoints);
    let selector;
    let what;
    if (p.target.kind === 'vm') {
      selector = vmSelector(p.target.uuid);
      what = `VM ${p.target.uuid}`;
    } else {
      const name = this.deps.hostName(p.target.hostId);
      if (name === null) throw new PrometheusError('no-data', `no host with id '${p.target.hostId}'`);
      selector = hostSelector(name);
      what = `host ${name}`;
    }
    const expr = metricExpr(p.target.kind, p.metric, selector, plan.window);
    if (expr === null)
      throw new PrometheusError('no-data', `${p.metric} has no PromQL equivalent for a ${p.target.kind}`);
    const matrix = await queryRange(target, expr, plan);
    if (!matrix.some((s) => s.values.length > 0)) {
      throw new PrometheusError('no-data', `Prometheus has no ${p.metric} data for ${what} in this range (${expr})`);
    }
    return matrixToSeries(matrix, plan);
  }
}
