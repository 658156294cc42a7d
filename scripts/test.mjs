// `npm test`: everything a change must pass, in order — lint, format, types, build, the lab
// (real sshd + libvirtd + QEMU guests, brought up by test/lab/lab-up.sh), then every test layer.
// Extra arguments go to vitest (e.g. `npm test -- --project unit`).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nativeModuleLoads, rebuildForNode } from './native-abi.mjs';

const CI = process.env.CI === 'true';
const args = process.argv.slice(2);
const quick = args.includes('--no-checks');
const vitestArgs = args.filter((a) => a !== '--no-checks');

function step(title, cmd, cmdArgs, opts = {}) {
  process.stdout.write(`\n=== ${title}\n`);
  const t0 = Date.now();
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit', ...opts });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (r.status !== 0) {
    process.stdout.write(`\n*** ${title} FAILED (exit ${r.status ?? r.signal}) after ${secs} s\n`);
    process.exit(r.status || 1);
  }
  process.stdout.write(`--- ${title}: ok (${secs} s)\n`);
}

const bin = (pkg, file) => {
  const path = join(process.cwd(), 'node_modules', pkg, file);
  if (!existsSync(path)) {
    process.stdout.write(`*** ${path} is missing: run \`npm ci\` (or \`npm install\`) first\n`);
    process.exit(1);
  }
  return path;
};
const node = process.execPath;

if (!quick) {
  step('lint (eslint)', node, [bin('eslint', 'bin/eslint.js'), '--max-warnings', '0', '.']);
  step('format (prettier --check)', node, [bin('prettier', 'bin/prettier.cjs'), '--check', '.', '--log-level', 'warn']);
  step('types: main, shared, tests (tsc)', node, [
    bin('typescript', 'bin/tsc'),
    '-p',
    'tsconfig.node.json',
    '--noEmit',
  ]);
  step('types: renderer (vue-tsc)', node, [bin('vue-tsc', 'bin/vue-tsc.js'), '-p', 'tsconfig.web.json', '--noEmit']);
}
// after `npm start` or `npm run dist` better-sqlite3 is built for Electron: the tests run on Node
if (!nativeModuleLoads()) {
  process.stdout.write(
    '\n=== better-sqlite3 does not load under Node (built for Electron?): npm rebuild better-sqlite3\n',
  );
  if (!rebuildForNode()) {
    process.stdout.write('*** could not rebuild better-sqlite3 for Node\n');
    process.exit(1);
  }
}
step('build (electron-vite)', node, [bin('electron-vite', 'bin/electron-vite.js'), 'build', '--logLevel', 'warn']);

// The lab needs root on Debian (apt, namespaces, tap devices). Elsewhere its tests are skipped
// with the reason, except under CI=true, where a skip is a failure.
const isDebian = existsSync('/etc/debian_version');
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (isDebian && isRoot) {
  step('lab up (sshd + libvirtd + 3 TCG guests)', 'bash', ['test/lab/lab-up.sh']);
} else {
  const why = !isDebian ? 'not a Debian machine' : 'not running as root';
  process.stdout.write(`\n=== lab: not started (${why}); lab tests will be skipped\n`);
  if (CI) {
    process.stdout.write('*** under CI=true the lab is required\n');
    process.exit(1);
  }
}

mkdirSync('test-results', { recursive: true });
// Layers run one after another: the integration tests stop and restart lab daemons, which
// must not happen while the e2e tests read the same lab.
const layers = [
  ['unit, renderer, contract', ['--project', 'unit', '--project', 'renderer', '--project', 'contract']],
  ['integration (real lab)', ['--project', 'integration']],
  ['e2e (Chromium against serve)', ['--project', 'e2e']],
];
const chosen = vitestArgs.some((a) => a === '--project' || a.startsWith('--project=')) ? [['selected', []]] : layers;
const totals = { passed: 0, failed: 0, skipped: 0, total: 0 };
let status = 0;
for (const [title, projectArgs] of chosen) {
  const report = `test-results/vitest-${title.split(' ')[0].replace(/,/g, '')}.json`;
  process.stdout.write(`\n=== tests: ${title}\n`);
  const r = spawnSync(
    node,
    [
      bin('vitest', 'vitest.mjs'),
      'run',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${report}`,
      ...projectArgs,
      ...vitestArgs,
    ],
    { stdio: 'inherit' },
  );
  if (r.status !== 0) status = r.status || 1;
  if (existsSync(report)) {
    const j = JSON.parse(readFileSync(report, 'utf8'));
    totals.passed += j.numPassedTests ?? 0;
    totals.failed += j.numFailedTests ?? 0;
    totals.skipped += (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
    totals.total += j.numTotalTests ?? 0;
  }
}
process.stdout.write(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
if (CI && totals.skipped > 0) {
  process.stdout.write('*** under CI=true no test may be skipped\n');
  process.exit(1);
}
if (totals.total === 0) {
  process.stdout.write('*** no test ran\n');
  process.exit(1);
}
process.exit(status);
