// Faithful fakes of the Electron objects the shell glue touches (app quit events, session
// webRequest/permissions, webContents navigation, Tray, Notification), recording what was done.
import { EventEmitter } from 'node:events';
import type { QuitEventLike } from '../../src/main/app/shutdown';
import type { GuardedContentsLike, NavigationEventLike, SessionLike } from '../../src/main/app/web-security';

/** Like Electron's app: quit() emits before-quit (cancellable), then quits unless prevented. */
export class FakeApp extends EventEmitter {
  readonly calls: string[] = [];
  exitCode: number | null = null;
  quit(): void {
    this.calls.push('quit');
    let prevented = false;
    const event: QuitEventLike = { preventDefault: () => (prevented = true) };
    this.emit('before-quit', event);
    if (!prevented) this.exit(0);
  }
  exit(code = 0): void {
    // Electron's exit() quits at once, without before-quit
    this.calls.push(`exit ${code}`);
    this.exitCode = code;
  }
}

export class FakeNavEvent implements NavigationEventLike {
  defaultPrevented = false;
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

type HeadersListener = Parameters<SessionLike['webRequest']['onHeadersReceived']>[0];
type PermissionHandler = Parameters<SessionLike['setPermissionRequestHandler']>[0];
type CheckHandler = Parameters<SessionLike['setPermissionCheckHandler']>[0];

export class FakeSession implements SessionLike {
  headersListener: HeadersListener | null = null;
  permissionHandler: PermissionHandler | null = null;
  checkHandler: CheckHandler | null = null;
  webRequest = {
    onHeadersReceived: (listener: HeadersListener) => {
      this.headersListener = listener;
    },
  };
  setPermissionRequestHandler(handler: PermissionHandler): void {
    this.permissionHandler = handler;
  }
  setPermissionCheckHandler(handler: CheckHandler): void {
    this.checkHandler = handler;
  }
  /** What headers a response leaves with (Electron keeps the originals when there is no listener). */
  respond(responseHeaders: Record<string, string | string[]>): Record<string, string | string[]> {
    let out = responseHeaders;
    this.headersListener?.({ responseHeaders }, (r) => (out = r.responseHeaders));
    return out;
  }
  request(permission: string): boolean {
    let granted = true; // Electron grants everything when no handler is set
    this.permissionHandler?.({}, permission, (g) => (granted = g));
    return granted;
  }
}

export class FakeGuardedContents extends EventEmitter implements GuardedContentsLike {
  private openHandler: ((details: { url: string }) => { action: 'deny' | 'allow' }) | null = null;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void {
    this.openHandler = handler;
  }
  /** A navigation the page starts: true when it goes ahead. */
  navigate(url: string, kind: 'will-navigate' | 'will-redirect' = 'will-navigate'): boolean {
    const event = new FakeNavEvent();
    this.emit(kind, event, url);
    return !event.defaultPrevented;
  }
  windowOpen(url: string): 'deny' | 'allow' {
    return this.openHandler ? this.openHandler({ url }).action : 'allow';
  }
  attachWebview(): boolean {
    const event = new FakeNavEvent();
    this.emit('will-attach-webview', event);
    return !event.defaultPrevented;
  }
}

export class FakeTray extends EventEmitter {
  toolTip = '';
  title = '';
  menu: unknown = null;
  destroyed = false;
  setToolTip(text: string): void {
    this.toolTip = text;
  }
  setTitle(title: string): void {
    this.title = title;
  }
  setContextMenu(menu: unknown): void {
    this.menu = menu;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

export class FakeNotification extends EventEmitter {
  shown = false;
  constructor(readonly options: { title: string; body: string; urgency: string }) {
    super();
  }
  show(): void {
    this.shown = true;
  }
  click(): void {
    this.emit('click');
  }
}
