// `npm start` where the Electron binary cannot be had: one line of explanation, no stack trace.
// The download is pointed at a closed loopback port, so this never leaves the machine.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/transports';

describe('npm start without an Electron binary', () => {
  it('explains in one line and exits non-zero', () => {
    const r = spawnSync(process.execPath, ['scripts/start.mjs'], {
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        ...process.env,
        ELECTRON_OVERRIDE_DIST_PATH: tempDir('no-electron'),
        ELECTRON_MIRROR: 'http://127.0.0.1:9/',
        electron_config_cache: tempDir('electron-cache'),
      },
    });
    expect(r.status).toBe(1);
    const lines = (r.stdout + r.stderr).trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^virtdeck: the Electron binary is not installed .*npm run serve/);
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });
});
