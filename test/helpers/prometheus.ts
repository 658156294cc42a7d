// A real Prometheus (Debian's 2.42, installed by the lab) on a loopback port with its own config
// and data dir, scraping one VirtDeck /metrics endpoint with the serve token as a bearer token.
import { execFileSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startPromDaemon } from './prom-daemon';
import { freePort } from './sshd';
import { tempDir } from './temp';

export const PROMETHEUS = '/usr/bin/prometheus';
export const PROMTOOL = '/usr/bin/promtool';

export interface TestPrometheus {
  url: string;
  port: number;
  child: ChildProcess;
  dataDir: string;
  /** An instant query's vector: [labels, value]. */
  query(expr: string, time?: number): Promise<{ metric: Record<string, string>; value: number }[]>;
  stop(): Promise<void>;
  log(): string;
}

export function prometheusMissing(): string | null {
  return existsSync(PROMETHEUS) ? null : `${PROMETHEUS} not found: run \`npm run lab:up\` (installs it)`;
}

export interface PrometheusOptions {
  /** host:port of the VirtDeck endpoint to scrape. */
  target: string;
  /** The bearer token, written to a file of its own; or tokenFile: a file VirtDeck keeps current. */
  token?: string;
  tokenFile?: string;
  scrapeInterval?: string;
  /** Reuse a data dir (a restarted Prometheus keeps its samples). */
  dataDir?: string;
  /** Reuse a port (the URL VirtDeck was given stays valid). */
  port?: number;
  /** Alerting-rules files Prometheus loads and evaluates. */
  ruleFiles?: string[];
}

export async function startPrometheus(opts: PrometheusOptions): Promise<TestPrometheus> {
  const dir = opts.dataDir ?? tempDir('prometheus');
  const port = opts.port ?? (await freePort());
  const tokenFile = opts.tokenFile ?? join(dir, 'token');
  if (!opts.tokenFile) writeFileSync(tokenFile, opts.token ?? '', { mode: 0o600 });
  const interval = opts.scrapeInterval ?? '1s';
  const config = join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    [
      'global:',
      `  scrape_interval: ${interval}`,
      `  evaluation_interval: ${interval}`,
      ...(opts.ruleFiles?.length ? ['rule_files:', ...opts.ruleFiles.map((f) => `  - ${f}`)] : []),
      'scrape_configs:',
      '  - job_name: virtdeck',
      '    authorization:',
      `      credentials_file: ${tokenFile}`,
      '    static_configs:',
      `      - targets: ['${opts.target}']`,
      '',
    ].join('\n'),
  );
  const d = await startPromDaemon(
    PROMETHEUS,
    [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
    port,
  );
  const { url, child } = d;
  return {
    url,
    port,
    child,
    dataDir: dir,
    log: d.log,
    async query(expr, time) {
      const body = new URLSearchParams({ query: expr, ...(time !== undefined ? { time: String(time) } : {}) });
      const res = await fetch(`${url}/api/v1/query`, { method: 'POST', body });
      const json = (await res.json()) as {
        status: string;
        error?: string;
        data: { result: { metric: Record<string, string>; value: [number, string] }[] };
      };
      if (json.status !== 'success') throw new Error(`query ${expr} failed: ${json.error}`);
      return json.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
    },
    stop: d.stop,
  };
}

/** Polls until `check` returns a value (not undefined), at most `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown = null;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** One series of a backfill: its name, labels and [epoch seconds, value] samples in time order. */
export interface BackfillSeries {
  family: string;
  type: 'counter' | 'gauge';
  labels: Record<string, string>;
  samples: [number, number][];
}

/**
 * Writes past samples into a Prometheus data dir before it starts (`promtool tsdb
 * create-blocks-from openmetrics`): history older than anything VirtDeck holds locally.
 */
export function backfill(dataDir: string, series: readonly BackfillSeries[]): void {
  const lines: string[] = [];
  const families = new Map<string, BackfillSeries[]>();
  for (const s of series) families.set(s.family, [...(families.get(s.family) ?? []), s]);
  for (const [family, list] of families) {
    const type = list[0]?.type ?? 'gauge';
    lines.push(`# TYPE ${family} ${type}`);
    for (const s of list) {
      const labels = Object.entries(s.labels)
        .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)
        .join(',');
      const name = type === 'counter' ? `${family}_total` : family;
      for (const [t, v] of s.samples) lines.push(`${name}{${labels}} ${v} ${t}`);
    }
  }
  lines.push('# EOF', '');
  const file = join(dataDir, 'backfill.om');
  writeFileSync(file, lines.join('\n'));
  execFileSync(PROMTOOL, ['tsdb', 'create-blocks-from', 'openmetrics', file, join(dataDir, 'data')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
