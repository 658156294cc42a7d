// The simulator stays out of the real code paths: only the composition root (the demo fleet)
// and the `sim` CLI command import src/main/sim; the collector, SSH, parsers and stores do not.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(__dirname, '../../src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : /\.(ts|vue)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

describe('simulator isolation', () => {
  it('is imported only by services.ts and the sim command', () => {
    const importers = files(SRC)
      .filter((f) => !f.includes(`${join('main', 'sim')}`))
      .filter((f) => /from '[./]*\/sim\/|from '\.\.\/sim\//.test(readFileSync(f, 'utf8')))
      .map((f) => relative(SRC, f))
      .sort();
    expect(importers).toEqual(['main/headless/sim-command.ts', 'main/services.ts']);
  });
});
