// Runs collector-child.ts under plain Node: bundled by esbuild (the one tsx and vite use) into
// node_modules/.cache, with the packages left to node_modules as out/ leaves them.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { build } from 'esbuild';

const BUNDLE = join(__dirname, '../../node_modules/.cache/virtdeck-bench/collector-child.cjs');

export interface CollectorProcessMemory {
  /** RSS of the child before it connected anything (Node, the collector code and ssh2 loaded). */
  idleMb: number;
  /** RSS with every collector warm: the same moment collector.rss_mb is read in the bench process. */
  rssMb: number;
  heapUsedMb: number;
  externalMb: number;
}

export async function collectorProcessMemory(sim: { dir: string; hostsJson: string }): Promise<CollectorProcessMemory> {
  await build({
    entryPoints: [join(__dirname, 'collector-child.ts')],
    outfile: BUNDLE,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    logLevel: 'warning',
  });
  const child = spawn(process.execPath, [BUNDLE, sim.dir, sim.hostsJson, '3'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`collector child exited (${code}): ${err}`);
  const r = JSON.parse(out) as { idleRss: number; rss: number; heapUsed: number; external: number };
  const mb = (n: number) => n / 2 ** 20;
  return { idleMb: mb(r.idleRss), rssMb: mb(r.rss), heapUsedMb: mb(r.heapUsed), externalMb: mb(r.external) };
}
