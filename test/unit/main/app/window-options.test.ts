import { describe, expect, it } from 'vitest';
import { mainWindowOptions } from '../../../../src/main/app/window-options';
import { CONTENT_SECURITY_POLICY } from '../../../../src/main/headless/security-headers';

describe('Electron window and page security', () => {
  it('sandboxes the renderer', () => {
    const wp = mainWindowOptions('/p/preload.js').webPreferences;
    expect(wp).toMatchObject({
      preload: '/p/preload.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
    });
  });
  it('allows no remote code and no eval', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|https?:/);
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
  });
});
