// better-sqlite3 is a native module built for one ABI at a time: Node's (tests, serve) or
// Electron's (npm start, npm run dist). These helpers check which one loads and rebuild in place.
import { spawnSync } from 'node:child_process';

const PROBE = "require('better-sqlite3')(':memory:').close()";

/** True when better-sqlite3 loads in this runtime (Node, or Electron run as Node). */
export function nativeModuleLoads(runtime = process.execPath, extraEnv = {}) {
  const r = spawnSync(runtime, ['-e', PROBE], { stdio: 'pipe', env: { ...process.env, ...extraEnv } });
  return r.status === 0;
}

/** Rebuilds better-sqlite3 for Node (a prebuilt download, else a compile): `npm rebuild better-sqlite3`. */
export function rebuildForNode() {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  return (
    spawnSync(npm, ['rebuild', 'better-sqlite3'], { stdio: 'inherit', shell: process.platform === 'win32' }).status ===
    0
  );
}

/** Rebuilds native dependencies for the installed Electron: `electron-builder install-app-deps`. */
export function rebuildForElectron(electronBuilderCli) {
  return spawnSync(process.execPath, [electronBuilderCli, 'install-app-deps'], { stdio: 'inherit' }).status === 0;
}
