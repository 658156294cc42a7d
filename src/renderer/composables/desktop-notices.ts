// The desktop notifier's outlet in serve mode: a web notification per alert.notified event, once
// the user has allowed them. Under Electron the shell shows native ones, so this stays quiet.
import { ref } from 'vue';
import { api } from '../api';

/** The Electron preload's bridge is there: the main process notifies natively. */
export const inDesktopShell = (): boolean => typeof window !== 'undefined' && window.virtdeck !== undefined;

const supported = typeof Notification !== 'undefined' && !inDesktopShell();
export const noticePermission = ref<NotificationPermission | 'unsupported'>(
  supported ? Notification.permission : 'unsupported',
);

export async function askNoticePermission(): Promise<void> {
  if (!supported) return;
  noticePermission.value = await Notification.requestPermission();
}

let started = false;
export function startDesktopNotices(onClick: (alertId: number) => void): void {
  if (started || !supported) return;
  started = true;
  api.on('alert.notified', (n) => {
    if (Notification.permission !== 'granted') return;
    const notice = new Notification(n.title, { body: n.body, tag: `virtdeck-${n.alertId}` });
    notice.onclick = () => onClick(n.alertId);
  });
}
