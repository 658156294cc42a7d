import { describe, expect, it } from 'vitest';
import { resolveDataDir } from '../../../../src/main/config/data-dir';

describe('resolveDataDir', () => {
  const base = { home: '/home/ada', env: {} as Record<string, string | undefined> };
  it('follows XDG on Linux, with the usual fallback', () => {
    expect(resolveDataDir({ ...base, platform: 'linux' })).toBe('/home/ada/.local/share/virtdeck');
    expect(resolveDataDir({ ...base, platform: 'linux', env: { XDG_DATA_HOME: '/data' } })).toBe('/data/virtdeck');
    // a relative XDG_DATA_HOME is invalid per the spec and ignored
    expect(resolveDataDir({ ...base, platform: 'linux', env: { XDG_DATA_HOME: 'rel' } })).toBe(
      '/home/ada/.local/share/virtdeck',
    );
  });
  it('uses the platform conventions on macOS and Windows', () => {
    expect(resolveDataDir({ ...base, platform: 'darwin' })).toBe('/home/ada/Library/Application Support/VirtDeck');
    expect(resolveDataDir({ ...base, platform: 'win32', env: { APPDATA: '/appdata' } })).toBe('/appdata/VirtDeck');
  });
  it('lets --data-dir win over VIRTDECK_DATA_DIR, which wins over the default', () => {
    const env = { VIRTDECK_DATA_DIR: '/env' };
    expect(resolveDataDir({ ...base, platform: 'linux', env })).toBe('/env');
    expect(resolveDataDir({ ...base, platform: 'linux', env, override: '/flag' })).toBe('/flag');
  });
});
