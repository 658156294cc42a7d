// The slice of Prometheus's HTTP API VirtDeck reads: range queries (/api/v1/query_range), with an
// optional bearer token. Every failure becomes one sentence naming the server, never the token.
import type { RangePlan } from './promql';

export interface PrometheusTarget {
  url: string;
  token?: string | undefined;
}

export interface MatrixSeries {
  metric: Record<string, string>;
  /** [epoch seconds, value as text] */
  values: [number, string][];
}

export class PrometheusError extends Error {
  constructor(
    readonly kind: 'unreachable' | 'refused' | 'query' | 'no-data',
    message: string,
  ) {
    super(message);
  }
}

interface QueryReply {
  status: 'success' | 'error';
  data?: { resultType: string; result: MatrixSeries[] };
  errorType?: string;
  error?: string;
}

/** The base URL without a trailing slash, for messages and paths. */
export function baseUrl(url: string): string {
  return url.replace(/\/+$/, '');
}

export async function queryRange(
  target: PrometheusTarget,
  query: string,
  plan: RangePlan,
  timeoutMs = 10_000,
): Promise<MatrixSeries[]> {
  const base = baseUrl(target.url);
  const body = new URLSearchParams({
    query,
    start: String(plan.start),
    end: String(plan.end),
    step: String(plan.step),
  });
  let res: Response;
  try {
    res = await fetch(`${base}/api/v1/query_range`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        ...(target.token ? { Authorization: `Bearer ${target.token}` } : {}),
      },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    const why =
      err.name === 'TimeoutError'
        ? `no answer in ${timeoutMs / 1000} s`
        : (err.cause?.code ?? err.cause?.message ?? err.message);
    throw new PrometheusError('unreachable', `Prometheus at ${base} is unreachable (${why})`);
  }
  if (res.status === 401 || res.status === 403) {
    throw new PrometheusError(
      'refused',
      `Prometheus at ${base} refused the request (HTTP ${res.status}): check the token`,
    );
  }
  let reply: QueryReply;
  try {
    reply = (await res.json()) as QueryReply;
  } catch {
    throw new PrometheusError('query', `Prometheus at ${base} answered HTTP ${res.status} without a Prometheus reply`);
  }
  if (reply.status !== 'success' || !reply.data) {
    throw new PrometheusError(
      'query',
      `Prometheus at ${base} rejected the query: ${reply.errorType ?? 'error'}: ${reply.error ?? `HTTP ${res.status}`}`,
    );
  }
  return reply.data.result;
}
