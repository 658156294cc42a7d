import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mainWindowOptions } from '../../../../src/main/app/window-options';
import { CONTENT_SECURITY_POLICY } from '../../../../src/main/headless/security-headers';

const pkg: unknown = JSON.parse(readFileSync('package.json', 'utf8'));

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

describe('window options and remembered bounds', () => {
  it('uses the remembered bounds and keeps the flags', () => {
    const o = mainWindowOptions('/p.js', '/icon.png', { x: 10, y: 20, width: 1000, height: 700 });
    expect(o).toMatchObject({ x: 10, y: 20, width: 1000, height: 700, icon: '/icon.png', show: false });
    expect(o.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(mainWindowOptions('/p.js')).toMatchObject({ width: 1400, height: 900 });
    expect(mainWindowOptions('/p.js')).not.toHaveProperty('x');
  });
  it('has no remote module or node in any frame or worker', () => {
    const wp = mainWindowOptions('/p.js').webPreferences ?? {};
    expect(wp).toMatchObject({ nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false });
    expect(wp).not.toHaveProperty('enableRemoteModule');
    expect(JSON.stringify(pkg)).not.toContain('@electron/remote');
  });
});
