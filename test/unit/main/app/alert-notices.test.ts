import { describe, expect, it, vi } from 'vitest';
import { startAlertNotices } from '../../../../src/main/app/alert-notices';
import { EventHub } from '../../../../src/shared/rpc/event-hub';
import { FakeNotification } from '../../../helpers/fake-electron-shell';

describe('native alert notifications', () => {
  it('shows one per alert.notified; a click brings up the alerts', () => {
    const hub = new EventHub();
    const made: FakeNotification[] = [];
    const onClick = vi.fn();
    startAlertNotices({
      hub,
      isSupported: () => true,
      create: (o) => {
        const n = new FakeNotification(o);
        made.push(n);
        return n;
      },
      onClick,
    });
    hub.emit('alert.notified', { title: 'VM crashed', body: 'web-1 on hv01', severity: 'critical', alertId: 7 });
    hub.emit('alert.changed', {} as never);
    expect(made).toHaveLength(1);
    expect(made[0]?.options).toEqual({ title: 'VM crashed', body: 'web-1 on hv01', urgency: 'critical' });
    expect(made[0]?.shown).toBe(true);
    made[0]?.click();
    expect(onClick).toHaveBeenCalledWith(7);
  });

  it('shows nothing where the desktop has no notifications', () => {
    const hub = new EventHub();
    const create = vi.fn();
    startAlertNotices({ hub, isSupported: () => false, create, onClick: () => undefined });
    hub.emit('alert.notified', { title: 't', body: 'b', severity: 'info', alertId: 1 });
    expect(create).not.toHaveBeenCalled();
  });
});
