// Where VirtDeck keeps its data when not under Electron (which uses app.getPath('userData')):
// the platform's per-user application data directory, overridable with --data-dir.
import { join } from 'node:path';

export interface DataDirInput {
  override?: string | undefined;
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  home: string;
}

export function resolveDataDir({ override, platform, env, home }: DataDirInput): string {
  if (override) return override;
  if (env.VIRTDECK_DATA_DIR) return env.VIRTDECK_DATA_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'VirtDeck');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'VirtDeck');
  const xdg =
    env.XDG_DATA_HOME && env.XDG_DATA_HOME.startsWith('/') ? env.XDG_DATA_HOME : join(home, '.local', 'share');
  return join(xdg, 'virtdeck');
}
