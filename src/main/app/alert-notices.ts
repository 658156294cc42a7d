// Native notifications for the warn engine's desktop notifier: each `alert.notified` event
// becomes an Electron Notification; clicking it brings the window up on the alerts view.
import type { DesktopNotice } from '../../shared/model/warn';
import type { EventHub } from '../../shared/rpc/event-hub';

/** The slice of Electron's Notification used here (a fake stands in for tests). */
export interface NotificationLike {
  on(event: 'click' | 'close', listener: () => void): unknown;
  show(): void;
}
export interface NoticeOptions {
  title: string;
  body: string;
  urgency: 'normal' | 'critical' | 'low';
}

export interface AlertNoticesOptions {
  hub: EventHub;
  isSupported: () => boolean;
  create: (options: NoticeOptions) => NotificationLike;
  /** Focus the window and show the alerts (the notice's alert id, for a later deep link). */
  onClick: (alertId: number) => void;
}

/** Notices kept referenced until clicked or closed: a collected Notification loses its click. */
const MAX_HELD = 50;

export function noticeOptions(n: DesktopNotice): NoticeOptions {
  const urgency = n.severity === 'critical' ? 'critical' : n.severity === 'info' ? 'low' : 'normal';
  return { title: n.title, body: n.body, urgency };
}

export function startAlertNotices({ hub, isSupported, create, onClick }: AlertNoticesOptions): () => void {
  const held = new Set<NotificationLike>();
  const unsubscribe = hub.subscribe((event, payload) => {
    if (event !== 'alert.notified' || !isSupported()) return;
    const notice = payload as DesktopNotice;
    const n = create(noticeOptions(notice));
    const release = () => held.delete(n);
    n.on('click', () => {
      release();
      onClick(notice.alertId);
    });
    n.on('close', release);
    held.add(n);
    if (held.size > MAX_HELD) held.delete(held.values().next().value as NotificationLike);
    n.show();
  });
  return () => {
    unsubscribe();
    held.clear();
  };
}
