// HTTP(S) POST of the transition: VirtDeck's JSON (alarm_id, previous, current, reason,
// reason_data, …) or Alertmanager's v2 API (so it can feed an existing Alertmanager).
import type { WebhookNotifier } from '../../../shared/model/warn';
import type { AlertNotification, SendFn } from './message';
import { redactUrl } from './message';

const iso = (ms: number | null) => (ms === null ? undefined : new Date(ms).toISOString());

export function virtdeckPayload(n: AlertNotification) {
  const a = n.alert;
  return {
    alarm_id: n.alarm_id,
    previous: n.previous,
    current: n.current,
    reason: n.reason,
    reason_data: n.reason_data,
    severity: a.severity,
    rule: { id: a.ruleId, name: a.ruleName },
    target: a.target,
    started_at: iso(a.startedAt),
    fired_at: iso(a.firedAt),
    resolved_at: iso(a.resolvedAt),
    acknowledged: a.ack !== null,
    test: n.test,
    source: 'virtdeck',
  };
}

/** Alertmanager v2 postable alerts: resolution is an endsAt in the past. */
export function alertmanagerPayload(n: AlertNotification) {
  const a = n.alert;
  return [
    {
      labels: {
        alertname: a.ruleName,
        rule_id: a.ruleId,
        severity: a.severity,
        target_kind: a.target.kind,
        target: a.target.name,
        target_id: a.target.id,
        host: a.target.hostId,
        source: 'virtdeck',
        ...(n.test ? { test: 'true' } : {}),
      },
      annotations: { summary: `${a.ruleName}: ${a.target.name}`, description: n.reason },
      startsAt: iso(a.firedAt ?? a.startedAt),
      ...(n.current === 'resolved' ? { endsAt: iso(a.resolvedAt ?? Date.now()) } : {}),
      generatorURL: `http://virtdeck.invalid/alerts/${n.alarm_id}`,
    },
  ];
}

export const sendWebhook: SendFn<WebhookNotifier> = async (config, n, _ctx, signal) => {
  let url = config.url;
  let body: unknown = virtdeckPayload(n);
  if (config.format === 'alertmanager') {
    if (!/\/api\/v2\/alerts\/?$/.test(url)) url = `${url.replace(/\/+$/, '')}/api/v2/alerts`;
    body = alertmanagerPayload(n);
  }
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'VirtDeck' };
  // fetch refuses credentials in a URL: `https://user:pass@host/…` becomes basic auth
  const target = new URL(url);
  if (target.username || target.password) {
    const user = decodeURIComponent(target.username);
    const pass = decodeURIComponent(target.password);
    headers['authorization'] = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
    target.username = '';
    target.password = '';
  }
  let res: Response;
  try {
    res = await fetch(target, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      signal,
    });
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(`POST ${redactUrl(url)} failed: ${cause?.code ?? cause?.message ?? (e as Error).message}`);
  }
  await res.arrayBuffer().catch(() => undefined);
  if (!res.ok) throw new Error(`POST ${redactUrl(url)} answered HTTP ${res.status} ${res.statusText}`.trim());
};
