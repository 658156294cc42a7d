// electron-builder.yml checked by electron-builder's own validation (app-builder-lib's
// validateConfiguration: its scheme.json through ajv), without Electron or a download, plus
// what VirtDeck needs from it: the three platforms' targets, icons, better-sqlite3 unpacked.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };
const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  validateConfiguration(config: unknown, debug: { isEnabled: boolean; add(): void }): Promise<void>;
};
const debug = { isEnabled: false, add: () => undefined };

interface BuilderConfig {
  appId?: string;
  productName?: string;
  asarUnpack?: string[];
  npmRebuild?: boolean;
  extraResources?: { from: string; to: string }[];
  linux?: { target?: string[]; icon?: string };
  win?: { target?: string[]; icon?: string };
  mac?: { target?: string[]; icon?: string };
}
const config = yaml.load(readFileSync('electron-builder.yml', 'utf8')) as BuilderConfig;

describe('electron-builder.yml', () => {
  it("passes electron-builder's own schema validation", async () => {
    await expect(validateConfiguration(config, debug)).resolves.toBeUndefined();
  });

  it('the validator does reject a broken config (so the test above means something)', async () => {
    await expect(validateConfiguration({ ...config, nsis: { oneClick: 'maybe' } }, debug)).rejects.toThrow(
      /nsis\.oneClick should be a boolean/,
    );
    const sparc = { ...config, win: { target: [{ target: 'nsis', arch: 'sparc' }] } };
    await expect(validateConfiguration(sparc, debug)).rejects.toThrow(/win\.target/);
    await expect(validateConfiguration({ ...config, noSuchOption: true }, debug)).rejects.toThrow(/noSuchOption/);
  });

  it('packages AppImage + deb, NSIS and dmg with an app id, a name and icons that exist', () => {
    expect(config.appId).toMatch(/^[a-z]+(\.[a-z]+)+$/);
    expect(config.productName).toBe('VirtDeck');
    expect(config.linux?.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.mac?.target).toEqual(['dmg']);
    for (const icon of [config.linux?.icon, config.win?.icon, config.mac?.icon]) {
      expect(icon && existsSync(icon)).toBeTruthy();
    }
    for (const size of [16, 24, 32, 48, 64, 128, 256, 512])
      expect(existsSync(`resources/icons/${size}x${size}.png`)).toBe(true);
    // the tray and notification icons are read at run time from resources/icons
    expect(config.extraResources).toEqual(expect.arrayContaining([{ from: 'resources/icons', to: 'icons' }]));
  });

  it('unpacks better-sqlite3 from the asar and rebuilds native modules for Electron', () => {
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['node_modules/better-sqlite3/**']));
    expect(config.npmRebuild).toBe(true);
  });
});
