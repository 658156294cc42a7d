// Prometheus as a history source: where it is and when VirtDeck asks it instead of its own file.

/** `beyond-retention`: only ranges the local history does not cover; `always`: every chart. */
export const PROMETHEUS_MODES = ['beyond-retention', 'always'] as const;
export type PrometheusMode = (typeof PROMETHEUS_MODES)[number];

/** What the settings show: the token is never sent back, only whether one is held. */
export interface PrometheusSettings {
  /** Base URL (`http://prometheus:9090`); null: Prometheus is not used. */
  url: string | null;
  mode: PrometheusMode;
  hasToken: boolean;
  /** The token survives a restart (desktop keychain) or is held for this session only. */
  tokenPersistent: boolean;
}

/** The desktop app's own /metrics listener (serve has `--metrics` instead). */
export interface MetricsExposition {
  /** False in serve mode: start it with --metrics there. */
  available: boolean;
  enabled: boolean;
  port: number;
  /** Where /metrics answers now; null while off (or when the port could not be had). */
  url: string | null;
  /** The file holding the bearer token (0600), for Prometheus's `credentials_file`. */
  tokenFile: string;
  /** Why it is not listening although enabled (e.g. the port is in use). */
  error: string | null;
}
