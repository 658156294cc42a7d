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
