// main.ts as a whole, with the `electron` module replaced by fakes (test/helpers/fake-electron-
// shell.ts) and the services by a stub: the wiring of lock, security, secrets, tray, quit.
import { existsSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventHub } from '../../../../src/shared/rpc/event-hub';
import { CONTENT_SECURITY_POLICY } from '../../../../src/main/headless/security-headers';
import {
  FakeApp,
  FakeGuardedContents,
  FakeNotification,
  FakeSession,
  FakeTray,
} from '../../../helpers/fake-electron-shell';
import { tempDir } from '../../../helpers/temp';

class FakeWebContents extends FakeGuardedContents {
  scripts: string[] = [];
  executeJavaScript(code: string) {
    this.scripts.push(code);
    return Promise.resolve();
  }
  send() {}
  isDestroyed() {
    return false;
  }
}
class FakeBrowserWindow extends EventEmitter {
  static all: FakeBrowserWindow[] = [];
  static getAllWindows = () => FakeBrowserWindow.all;
  webContents = new FakeWebContents();
  minimized = false;
  calls: string[] = [];
  constructor(readonly options: { webPreferences?: Record<string, unknown> }) {
    super();
    FakeBrowserWindow.all.push(this);
  }
  loadFile = (f: string) => (this.calls.push(`loadFile ${f}`), Promise.resolve());
  loadURL = (u: string) => (this.calls.push(`loadURL ${u}`), Promise.resolve());
  isMinimized = () => this.minimized;
  restore = () => this.calls.push('restore');
  show = () => this.calls.push('show');
  focus = () => this.calls.push('focus');
  maximize = () => this.calls.push('maximize');
  isMaximized = () => false;
  isFullScreen = () => false;
  getNormalBounds = () => ({ x: 0, y: 0, width: 1400, height: 900 });
}

const state = {
  lock: true,
  dataDir: '',
  app: new FakeApp(),
  session: new FakeSession(),
  trays: [] as FakeTray[],
  notices: [] as FakeNotification[],
  menu: null as unknown,
  services: null as null | { hub: EventHub; start: ReturnType<typeof vi.fn>; stop: ReturnType<typeof vi.fn> },
  servicesOptions: null as null | Record<string, unknown>,
};

vi.mock('electron', () => {
  const app = Object.assign(state.app, {
    requestSingleInstanceLock: () => state.lock,
    getPath: () => state.dataDir,
    getAppPath: () => process.cwd(),
    isPackaged: false,
    whenReady: () => Promise.resolve(),
  });
  return {
    app,
    BrowserWindow: FakeBrowserWindow,
    dialog: { showMessageBox: vi.fn(() => Promise.resolve({ response: 0 })) },
    ipcMain: { on: vi.fn(), removeListener: vi.fn() },
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: (m: unknown) => (state.menu = m) },
    nativeImage: { createFromPath: (p: string) => p },
    Notification: class extends FakeNotification {
      static isSupported = () => true;
      constructor(o: { title: string; body: string; urgency: string }) {
        super(o);
        state.notices.push(this);
      }
    },
    safeStorage: { isEncryptionAvailable: () => false, encryptString: vi.fn(), decryptString: vi.fn() },
    screen: {
      getPrimaryDisplay: () => ({ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }),
      getAllDisplays: () => [],
    },
    session: { defaultSession: state.session },
    shell: { openExternal: vi.fn(), openPath: vi.fn() },
    Tray: class extends FakeTray {
      constructor() {
        super();
        state.trays.push(this);
      }
    },
  };
});
vi.mock('../../../../src/main/services', () => ({
  createServices: (options: Record<string, unknown>) => {
    state.servicesOptions = options;
    state.services = {
      handlers: {},
      hub: new EventHub(),
      warn: { active: () => [] },
      start: vi.fn(),
      stop: vi.fn(() => Promise.resolve()),
    } as never;
    return state.services;
  },
}));

const settle = () => new Promise((r) => setTimeout(r, 10));
let signalsBefore: Map<string, unknown[]>;

describe('main.ts wiring', () => {
  beforeEach(() => {
    vi.resetModules();
    // the mocked module keeps these objects across imports: reset them instead of replacing them
    state.app.removeAllListeners();
    state.app.calls.length = 0;
    state.app.exitCode = null;
    state.session.headersListener = null;
    state.session.permissionHandler = null;
    state.dataDir = tempDir('main');
    state.trays = [];
    state.notices = [];
    state.services = null;
    FakeBrowserWindow.all = [];
    signalsBefore = new Map(['SIGTERM', 'SIGINT'].map((s) => [s, process.listeners(s as 'SIGTERM')]));
  });
  afterEach(() => {
    for (const [signal, before] of signalsBefore) {
      for (const l of process.listeners(signal as 'SIGTERM')) {
        if (!before.includes(l)) process.removeListener(signal, l);
      }
    }
  });

  it('a second instance quits at once; the first brings its window up', async () => {
    state.lock = false;
    await import('../../../../src/main/app/main');
    expect(state.app.calls).toEqual(['quit', 'exit 0']);
    expect(state.services).toBeNull();

    vi.resetModules();
    state.app.removeAllListeners();
    state.lock = true;
    await import('../../../../src/main/app/main');
    await settle();
    const [win] = FakeBrowserWindow.all;
    expect(FakeBrowserWindow.all).toHaveLength(1);
    if (win) win.minimized = true;
    state.app.emit('second-instance');
    expect(win?.calls).toEqual(expect.arrayContaining(['restore', 'show', 'focus']));
    expect(FakeBrowserWindow.all).toHaveLength(1);
  });

  it('secures the session and window, session-only secrets without a keychain, tray and notices', async () => {
    state.lock = true;
    await import('../../../../src/main/app/main');
    await settle();
    expect(state.session.respond({})['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
    expect(state.session.request('media')).toBe(false);
    const win = FakeBrowserWindow.all[0];
    expect(win?.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    });
    expect(win?.webContents.navigate('https://example.com/')).toBe(false);
    expect(win?.webContents.windowOpen('https://example.com/')).toBe('deny');
    expect((state.servicesOptions?.secretStore as { persistent: boolean }).persistent).toBe(false);
    expect(state.services?.start).toHaveBeenCalledOnce();
    expect(state.menu).toBeTruthy();
    expect(state.trays[0]?.toolTip).toBe('VirtDeck: no firing alerts');

    state.services?.hub.emit('alert.notified', { title: 'VM crashed', body: 'b', severity: 'critical', alertId: 4 });
    expect(state.notices).toHaveLength(1);
    state.notices[0]?.click();
    expect(win?.calls).toEqual(expect.arrayContaining(['show', 'focus']));
    expect(win?.webContents.scripts).toEqual(["location.hash = '#/alerts'"]);
  });

  it('quit saves the window state, stops the services once, then exits', async () => {
    state.lock = true;
    await import('../../../../src/main/app/main');
    await settle();
    state.app.quit();
    process.emit('SIGTERM');
    await settle();
    expect(state.services?.stop).toHaveBeenCalledOnce();
    expect(state.app.calls).toEqual(['quit', 'exit 0']);
    expect(existsSync(join(state.dataDir, 'window-state.json'))).toBe(true); // saved on the way out
  });
});
