// Where the real main process's memory goes: `npx tsx bench/serve-memory-probe.ts` runs the
// simulated fleet (its own process, from out/) and `serve` from the build on it with
// lib/serve-probe.cjs preloaded, and once every host is up prints, every second for SEC (30)
// seconds, serve's RSS beside V8's heap spaces, external memory, the brk heap (malloc's main
// arena: SQLite's page cache, native buffers) and other anonymous memory; then a full GC.
// SNAPSHOT=file: a heap snapshot after that GC, summarised as the largest retainers (dominator
// tree). SAMPLING=1: the allocation sites of what survived young-generation GCs over the window
// (live or promoted, i.e. what makes the old generation grow). NODE_EXTRA: flags for serve's
// node (e.g. --trace-gc); VIRTDECK_HEAP_TUNING=0 is passed through. BENCH_HOSTS / BENCH_VMS scale it.
// The probe's own reading of /proc/self/smaps allocates a few MB a second: its lines
// (serve-probe.cjs) in the allocation sites are its own cost, not serve's.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summariseRetainers } from './lib/heap-dominators';
import { waitFleetUp } from './lib/serve-memory';
import { HEADLESS, requireBuild, startSimChild } from './lib/sim-child';

const HOSTS = Number(process.env.BENCH_HOSTS ?? 200);
const VMS = Number(process.env.BENCH_VMS ?? 50);
const SEC = Number(process.env.SEC ?? 30);
const OUT = join(tmpdir(), `virtdeck-serve-probe-${process.pid}.jsonl`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const f0 = (n: number) => n.toFixed(0).padStart(4);

interface ProbeLine {
  tag: string;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  spaces: Record<string, [number, number]>;
  brk: number;
  otherAnon: number;
  file: number;
  threads: number;
}

function line(l: ProbeLine): string {
  const sp = (n: string) => (l.spaces[n] ?? [0, 0]).map((v) => v.toFixed(0)).join('/');
  return (
    `${l.tag.padEnd(8)} RSS ${f0(l.rss)} | heap used ${f0(l.heapUsed)} of ${f0(l.heapTotal)} (new ${sp('new_space')}, ` +
    `old ${sp('old_space')}, large ${sp('large_object_space')}) | external ${f0(l.external)} (array buffers ` +
    `${f0(l.arrayBuffers)}) | brk ${f0(l.brk)}, other anon ${f0(l.otherAnon)}, files ${f0(l.file)} | ${l.threads} threads`
  );
}

async function main(): Promise<void> {
  const missing = requireBuild();
  if (missing) throw new Error(missing);
  rmSync(OUT, { force: true });
  const snapshot = process.env.SNAPSHOT;
  const sim = await startSimChild(['--hosts', String(HOSTS), '--vms', String(VMS), '--no-incidents']);
  const extra = (process.env.NODE_EXTRA ?? '').split(' ').filter(Boolean);
  const child = spawn(
    process.execPath,
    [
      ...['--expose-gc', '--require', join(__dirname, 'lib/serve-probe.cjs'), ...extra],
      ...[HEADLESS, 'serve', '--port', '0', '--data-dir', sim.dir, '--no-demo'], // as the collector bench runs it
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        PROBE_OUT: OUT,
        ...(snapshot ? { PROBE_SNAPSHOT: snapshot } : {}),
        ...(process.env.SAMPLING ? { PROBE_SAMPLING: '1' } : {}),
      },
    },
  );
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+)/.exec(out);
        if (m?.[1]) resolve(m[1]);
      });
      child.once('exit', (code) => reject(new Error(`serve exited (${code})`)));
    });
    await waitFleetUp(url, HOSTS, VMS);
    if (process.env.SAMPLING) child.kill('SIGUSR1');
    for (let s = 0; s < SEC; s++) {
      child.kill('SIGUSR2');
      await sleep(1000);
    }
    if (process.env.SAMPLING) child.kill('SIGWINCH');
    child.kill('SIGHUP');
    const deadline = Date.now() + 120_000;
    while (!readFileSync(OUT, 'utf8').includes('"tag":"done"') && Date.now() < deadline) await sleep(500);
  } finally {
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
    await sim.stop();
  }
  for (const l of readFileSync(OUT, 'utf8').trim().split('\n'))
    process.stdout.write(line(JSON.parse(l) as ProbeLine) + '\n');
  if (existsSync(`${OUT}.sites`))
    process.stdout.write(`\nsurvivors of young GCs by allocation site:\n${readFileSync(`${OUT}.sites`, 'utf8')}`);
  if (snapshot) process.stdout.write(`\nlargest retainers after the GC:\n${summariseRetainers(snapshot)}`);
}

void main();
