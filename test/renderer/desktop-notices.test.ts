// Web notifications for alert.notified in serve mode only: under Electron (window.virtdeck, the
// preload's bridge) the shell shows native ones and the renderer must not show a second.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

type Listener = (n: { title: string; body: string; severity: string; alertId: number }) => void;
const listeners: Listener[] = [];
vi.mock('../../src/renderer/api', () => ({
  api: { on: (_event: string, l: Listener) => listeners.push(l) },
}));

const shown: string[] = [];
class FakeWebNotification {
  static permission = 'granted';
  static requestPermission = () => Promise.resolve('granted');
  onclick: (() => void) | null = null;
  constructor(title: string) {
    shown.push(title);
  }
}

const notice = { title: 'VM crashed', body: 'web-1', severity: 'critical', alertId: 3 };

describe('renderer desktop notices', () => {
  beforeEach(() => {
    vi.resetModules();
    listeners.length = 0;
    shown.length = 0;
    vi.stubGlobal('Notification', FakeWebNotification);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('serve mode (no bridge): a web notification per alert.notified', async () => {
    vi.stubGlobal('window', {});
    const m = await import('../../src/renderer/composables/desktop-notices');
    m.startDesktopNotices(() => undefined);
    listeners.forEach((l) => l(notice));
    expect(shown).toEqual(['VM crashed']);
    expect(m.noticePermission.value).toBe('granted');
  });

  it('under Electron: no web notification (the shell shows a native one), no "Allow" prompt', async () => {
    vi.stubGlobal('window', { virtdeck: { send: () => undefined, onMessage: () => () => undefined } });
    const m = await import('../../src/renderer/composables/desktop-notices');
    m.startDesktopNotices(() => undefined);
    listeners.forEach((l) => l(notice));
    expect(m.inDesktopShell()).toBe(true);
    expect(listeners).toHaveLength(0);
    expect(shown).toEqual([]);
    expect(m.noticePermission.value).toBe('unsupported');
  });
});
