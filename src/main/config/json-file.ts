// A small JSON document on disk, written atomically (temp file + rename) so a crash mid-write
// leaves the previous version intact. Used for configuration until the SQLite store holds it.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export class JsonFile<T> {
  private cache: T | undefined;
  constructor(
    readonly path: string,
    private readonly initial: T,
  ) {}

  read(): T {
    if (this.cache !== undefined) return this.cache;
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return (this.cache = this.initial);
      throw e;
    }
    try {
      this.cache = JSON.parse(text) as T;
    } catch {
      throw new Error(`${this.path} is not valid JSON; fix or remove it (VirtDeck will not overwrite it)`);
    }
    return this.cache;
  }

  write(value: T, mode = 0o600): void {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(value, null, 2) + '\n', { mode });
    renameSync(tmp, this.path);
    this.cache = value;
  }
}
