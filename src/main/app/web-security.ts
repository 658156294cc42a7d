// Locks down the renderer's session and each window: the strict CSP on every response,
// permissions denied except notifications, navigation and new windows only to the app.
import { CONTENT_SECURITY_POLICY } from '../headless/security-headers';

type Headers = Record<string, string | string[]>;
/** The slices of Electron's Session and WebContents used here (fakes stand in for tests). */
export interface SessionLike {
  webRequest: {
    onHeadersReceived(
      listener: (
        details: { responseHeaders?: Headers },
        callback: (response: { responseHeaders: Headers }) => void,
      ) => void,
    ): void;
  };
  setPermissionRequestHandler(
    handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void,
  ): void;
  setPermissionCheckHandler(handler: (contents: unknown, permission: string) => boolean): void;
}
export interface NavigationEventLike {
  preventDefault(): void;
}
export interface GuardedContentsLike {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: NavigationEventLike, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: NavigationEventLike) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/** The only permission the renderer may have: web notifications (the serve-mode path, dev). */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['notifications']);

export function secureSession(session: SessionLike): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers: Headers = {};
    // drop any CSP the response brought (whatever its case) so ours is the one that applies
    for (const [k, v] of Object.entries(details.responseHeaders ?? {})) {
      if (k.toLowerCase() !== 'content-security-policy') headers[k] = v;
    }
    headers['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
    headers['X-Content-Type-Options'] = ['nosniff'];
    callback({ responseHeaders: headers });
  });
  session.setPermissionRequestHandler((_contents, permission, callback) =>
    callback(ALLOWED_PERMISSIONS.has(permission)),
  );
  session.setPermissionCheckHandler((_contents, permission) => ALLOWED_PERMISSIONS.has(permission));
}

/**
 * Navigation away from the app and window.open are refused; an https link the user clicked
 * (documentation) opens in the system browser instead of inside VirtDeck.
 */
export function guardNavigation(
  contents: GuardedContentsLike,
  isAppUrl: (url: string) => boolean,
  openExternal: (url: string) => void,
): void {
  const block = (event: NavigationEventLike, url: string) => {
    if (!isAppUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', block);
  contents.on('will-redirect', block);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (/^https:\/\//i.test(url)) openExternal(url);
    return { action: 'deny' };
  });
}
