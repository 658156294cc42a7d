// The scale-out part of the contract (issue 10): Prometheus as a history source and the warn
// rules as a Prometheus alerting-rules file. Spread into `api`.
import { z } from 'zod';
import { method } from './define';
import { PROMETHEUS_MODES } from '../model/prometheus';
import type { MetricsExposition, PrometheusSettings } from '../model/prometheus';

const prometheusUrl = z
  .string()
  .trim()
  .max(2048, 'url is too long')
  .refine((u) => {
    if (u === '') return true;
    try {
      const p = new URL(u);
      return (p.protocol === 'http:' || p.protocol === 'https:') && !p.username && !p.password;
    } catch {
      return false;
    }
  }, 'url must be an http(s) URL such as http://127.0.0.1:9090 (no user:password in it; use the token), or empty to turn Prometheus off');

export const prometheusMethods = {
  'settings.prometheus.get': method(z.object({}).strict()).returns<PrometheusSettings>(),
  /** Empty url: Prometheus off. token absent: keep the one held; '': forget it. */
  'settings.prometheus.set': method(
    z
      .object({
        url: prometheusUrl,
        mode: z.enum(PROMETHEUS_MODES, { error: () => `mode must be one of ${PROMETHEUS_MODES.join(', ')}` }),
        token: z.string().max(4096, 'token is too long').optional(),
      })
      .strict(),
  ).returns<PrometheusSettings>(),
  /** The desktop app's /metrics listener on 127.0.0.1 (serve: `--metrics`). */
  'settings.metrics.get': method(z.object({}).strict()).returns<MetricsExposition>(),
  'settings.metrics.set': method(
    z
      .object({
        enabled: z.boolean(),
        port: z
          .number()
          .int('port must be a whole number')
          .min(1, 'port must be 1..65535')
          .max(65535, 'port must be 1..65535'),
      })
      .strict(),
  ).returns<MetricsExposition>(),
  /** The warn rules as a Prometheus alerting-rules file (YAML). */
  'rules.exportPrometheus': method(z.object({}).strict()).returns<{
    yaml: string;
    fileName: string;
    count: number;
    skipped: string[];
  }>(),
} as const;
