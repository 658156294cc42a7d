// What every notifier is handed: one alert transition, in the webhook's field names.
import type { Alert, NotifierConfig } from '../../../shared/model/warn';

export interface AlertNotification {
  alarm_id: number;
  /** State before and after: inactive | pending | firing | resolved. */
  previous: string;
  current: string;
  reason: string;
  reason_data: Record<string, unknown>;
  alert: Alert;
  /** A made-up alert sent by "Send test". */
  test: boolean;
}

export interface NotifierContext {
  dataDir: string;
  /** The session's secret for this notifier (SMTP password), if one was given. */
  secret(id: string): string | undefined;
  /** The desktop notifier's outlet: the shell (or the browser in serve mode) shows it. */
  desktop(notice: { title: string; body: string; severity: Alert['severity']; alertId: number }): void;
}

export type SendFn<C extends NotifierConfig = NotifierConfig> = (
  config: C,
  n: AlertNotification,
  ctx: NotifierContext,
  signal: AbortSignal,
) => Promise<void>;

export function subject(n: AlertNotification): string {
  const a = n.alert;
  const what = n.current === 'resolved' ? 'RESOLVED' : a.severity.toUpperCase();
  return `[VirtDeck ${what}] ${a.ruleName}: ${a.target.name}`;
}

/** URLs in errors and logs never show credentials (`https://user:pass@host`). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.username || u.password) {
      u.username = u.username ? '***' : '';
      u.password = u.password ? '***' : '';
    }
    for (const k of [...u.searchParams.keys()]) if (/token|key|secret|pass/i.test(k)) u.searchParams.set(k, '***');
    return u.toString();
  } catch {
    return '(invalid URL)';
  }
}
