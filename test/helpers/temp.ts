// Fresh temporary directories for tests and benchmarks, removed once the run that made them is
// over: for a test file by its last hook (test/helpers/temp-cleanup.ts, a vitest setup file:
// its workers never run 'exit' handlers), for a bench or script when its process exits.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}
process.once('exit', removeTempDirs);

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `virtdeck-${prefix}-`));
  made.push(dir);
  return dir;
}
