import { describe, expect, it, vi } from 'vitest';
import type { MenuItem } from '../../../../src/main/app/app-menu';
import { startTrayStatus } from '../../../../src/main/app/tray-status';
import type { Alert } from '../../../../src/shared/model/warn';
import { EventHub } from '../../../../src/shared/rpc/event-hub';
import { FakeTray } from '../../../helpers/fake-electron-shell';

function alert(id: number, state: Alert['state'], severity: Alert['severity'] = 'warning'): Alert {
  return {
    id,
    ruleId: 'r',
    ruleName: 'R',
    severity,
    state,
    target: { kind: 'host', hostId: 'h', id: 'h', name: 'h' },
    startedAt: 0,
    firedAt: state === 'pending' ? null : 1,
    resolvedAt: null,
    reason: '',
    reasonData: {},
    ack: null,
    silencedUntil: null,
    maintenance: false,
    flapping: false,
  };
}

describe('tray', () => {
  it('shows the firing count from start and follows alert.changed', () => {
    const hub = new EventHub();
    const tray = new FakeTray();
    const open = vi.fn();
    const quit = vi.fn();
    const stop = startTrayStatus({
      tray,
      hub,
      initial: [alert(1, 'firing', 'critical'), alert(0, 'pending')],
      buildMenu: (t: MenuItem[]) => t,
      open,
      quit,
    });
    expect(tray.toolTip).toBe('VirtDeck: 1 firing alert (1 critical)');
    expect(tray.title).toBe('1');
    hub.emit('alert.changed', alert(2, 'firing'));
    hub.emit('alert.changed', alert(0, 'pending'));
    expect(tray.toolTip).toBe('VirtDeck: 2 firing alerts (1 critical)');
    hub.emit('alert.changed', alert(1, 'resolved', 'critical'));
    hub.emit('alert.changed', alert(2, 'resolved'));
    expect(tray.toolTip).toBe('VirtDeck: no firing alerts');
    expect(tray.title).toBe('');

    const menu = tray.menu as MenuItem[];
    const byLabel = (l: string) => menu.find((i) => i.label === l);
    byLabel('Open VirtDeck')?.click?.({} as never, undefined, {} as never);
    byLabel('Quit')?.click?.({} as never, undefined, {} as never);
    tray.emit('click');
    expect(open).toHaveBeenCalledTimes(2);
    expect(quit).toHaveBeenCalledOnce();
    stop();
    expect(tray.destroyed).toBe(true);
    hub.emit('alert.changed', alert(3, 'firing'));
    expect(tray.toolTip).toBe('VirtDeck: no firing alerts');
  });
});
