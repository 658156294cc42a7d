// The desktop notifier's outlet in the renderer: a web notification per alert.notified event,
// once the user has allowed them (the Electron shell may show native ones instead).
import { ref } from 'vue';
import { api } from '../api';

const supported = typeof Notification !== 'undefined';
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
