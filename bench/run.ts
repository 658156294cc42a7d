// `npm run bench [-- NAME…]`: runs the benchmarks, prints a table of figures (with the baseline
// measured in the same run) and writes bench/results/latest.json. Never part of `npm test`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Figure } from './lib/figures';

const SUITES: Record<string, () => Promise<{ run: () => Promise<Figure[]> }>> = {
  parser: () => import('./parser.bench'),
  ssh: () => import('./ssh.bench'),
  store: () => import('./store.bench'),
  warn: () => import('./warn.bench'),
  ui: () => import('./ui.bench'),
  collector: () => import('./collector.bench'),
  start: () => import('./start.bench'),
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const unknown = wanted.filter((w) => !(w in SUITES));
  if (unknown.length) {
    process.stderr.write(`unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(SUITES).join(', ')}\n`);
    process.exit(2);
  }
  const names = wanted.length ? wanted : Object.keys(SUITES);
  const figures: Figure[] = [];
  for (const name of names) {
    process.stderr.write(`running ${name}…\n`);
    const suite = await (SUITES[name] as () => Promise<{ run: () => Promise<Figure[]> }>)();
    figures.push(...(await suite.run()));
  }
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`;
  const rows = figures.map((f) => [
    f.name,
    `${+f.value.toPrecision(4)} ${f.unit}`,
    f.target === null ? '' : String(f.target),
    f.baseline === null ? '' : `${+f.baseline.toPrecision(4)}`,
  ]);
  const head = ['figure', 'value', 'target', 'baseline'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  process.stdout.write(`${machine}\n${line(head)}\n${rows.map(line).join('\n')}\n`);
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'latest.json'),
    JSON.stringify({ machine, when: new Date().toISOString(), figures }, null, 2) + '\n',
  );
}

void main();
