// `npm start`: build, make sure the Electron binary is there (Electron downloads it on first
// use), then open the desktop app. Where the binary cannot be had, say so in one line.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { nativeModuleLoads, rebuildForElectron } from './native-abi.mjs';

const require = createRequire(import.meta.url);
const say = (line) => process.stderr.write(`virtdeck: ${line}\n`);

let electronDir;
try {
  electronDir = dirname(require.resolve('electron/package.json'));
} catch {
  say('Electron is not installed (run `npm install` first); `npm run serve` opens VirtDeck in a browser instead.');
  process.exit(1);
}

function electronBinary() {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const bin = join(
    process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(electronDir, 'dist'),
    readFileSync(pathFile, 'utf8'),
  );
  return existsSync(bin) ? bin : null;
}

let bin = electronBinary();
if (!bin) {
  if (process.stderr.isTTY) say('downloading the Electron binary (first start only)…');
  const r = spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'pipe', timeout: 10 * 60_000 });
  bin = r.status === 0 ? electronBinary() : null;
  if (!bin) {
    say(
      'the Electron binary is not installed and could not be downloaded (no internet access?). ' +
        'Use `npm run serve` to open VirtDeck in a browser, or retry `npm start` where Electron can be downloaded.',
    );
    process.exit(1);
  }
}

const build = spawnSync(process.execPath, [require.resolve('electron-vite/bin/electron-vite.js'), 'build'], {
  stdio: 'inherit',
});
if (build.status !== 0) {
  say('the build failed (see above).');
  process.exit(build.status ?? 1);
}

// better-sqlite3 as installed is built for Node (tests, serve); Electron needs its own ABI
if (!nativeModuleLoads(bin, { ELECTRON_RUN_AS_NODE: '1' })) {
  say('building better-sqlite3 for Electron (electron-builder install-app-deps; `npm test` rebuilds it for Node)…');
  if (!rebuildForElectron(require.resolve('electron-builder/cli.js'))) {
    say('could not build better-sqlite3 for Electron (see above); `npm run serve` runs VirtDeck under Node instead.');
    process.exit(1);
  }
}

const child = spawn(bin, ['.', ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('error', (e) => {
  say(`could not start Electron: ${e.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
