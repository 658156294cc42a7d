// Hands the alert to the desktop: the Electron shell shows a native notification, the browser
// (serve mode) a web notification. Delivery is the outlet's job; this never fails.
import type { DesktopNotifier } from '../../../shared/model/warn';
import type { SendFn } from './message';
import { subject } from './message';

export const sendDesktop: SendFn<DesktopNotifier> = async (_config, n, ctx) => {
  ctx.desktop({ title: subject(n), body: n.reason, severity: n.alert.severity, alertId: n.alarm_id });
  return Promise.resolve();
};
