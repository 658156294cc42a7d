import { describe, expect, it, vi } from 'vitest';
import { guardNavigation, secureSession } from '../../../../src/main/app/web-security';
import { CONTENT_SECURITY_POLICY } from '../../../../src/main/headless/security-headers';
import { FakeGuardedContents, FakeSession } from '../../../helpers/fake-electron-shell';

const APP = 'file:///opt/VirtDeck/resources/app.asar/out/renderer';
const isAppUrl = (url: string) => url.startsWith(APP);

describe('session security', () => {
  it('sets the strict CSP on every response, replacing any the response brought', () => {
    const session = new FakeSession();
    secureSession(session);
    for (const original of [
      {},
      { 'content-type': ['text/html'] },
      { 'content-security-policy': ["script-src 'unsafe-eval' https://cdn.example"] },
      { 'Content-Security-Policy': ['default-src *'], 'X-Other': 'kept' },
    ]) {
      const out = session.respond(original);
      const csp = Object.entries(out).filter(([k]) => k.toLowerCase() === 'content-security-policy');
      expect(csp).toEqual([['Content-Security-Policy', [CONTENT_SECURITY_POLICY]]]);
      for (const [k, v] of Object.entries(original)) if (!/security-policy/i.test(k)) expect(out[k]).toEqual(v);
    }
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|https?:|\*/);
  });

  it('denies every permission but notifications', () => {
    const session = new FakeSession();
    secureSession(session);
    expect(session.request('notifications')).toBe(true);
    for (const p of ['media', 'geolocation', 'clipboard-read', 'openExternal', 'fullscreen', 'usb', 'hid']) {
      expect(session.request(p)).toBe(false);
      expect(session.checkHandler?.({}, p)).toBe(false);
    }
  });
});

describe('navigation guard', () => {
  it('allows the app, blocks every other navigation, redirect and webview', () => {
    const contents = new FakeGuardedContents();
    guardNavigation(contents, isAppUrl, () => undefined);
    expect(contents.navigate(`${APP}/index.html#/alerts`)).toBe(true);
    expect(contents.navigate('https://evil.example/')).toBe(false);
    expect(contents.navigate('file:///etc/passwd')).toBe(false);
    expect(contents.navigate('https://evil.example/', 'will-redirect')).toBe(false);
    expect(contents.attachWebview()).toBe(false);
  });

  it('denies window.open; an https link opens in the system browser, nothing else does', () => {
    const contents = new FakeGuardedContents();
    const openExternal = vi.fn();
    guardNavigation(contents, isAppUrl, openExternal);
    expect(contents.windowOpen('https://libvirt.org/docs.html')).toBe('deny');
    expect(contents.windowOpen(`${APP}/index.html`)).toBe('deny');
    expect(contents.windowOpen('file:///etc/passwd')).toBe('deny');
    expect(contents.windowOpen('javascript:alert(1)')).toBe('deny');
    expect(openExternal.mock.calls).toEqual([['https://libvirt.org/docs.html']]);
  });
});
