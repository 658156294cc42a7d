// Decides on a server's host key: the user's known_hosts files first (as ssh would), then
// VirtDeck's own trust store. Unknown keys wait for the user; changed or revoked keys are refused.
import { readFileSync, statSync } from 'node:fs';
import { keyAlgorithm, sha256Fingerprint } from './fingerprint';
import type { HostKeyStore, HostKeyVerdict } from './host-key-store';
import { checkKnownHosts, parseKnownHosts } from './known-hosts';
import type { KnownHostEntry } from './known-hosts';

export class HostKeyVerifier {
  private readonly cache = new Map<string, { mtimeMs: number; entries: KnownHostEntry[] }>();

  constructor(
    private readonly store: HostKeyStore,
    private readonly knownHostsFiles: readonly string[],
  ) {}

  private entries(): KnownHostEntry[] {
    const all: KnownHostEntry[] = [];
    for (const file of this.knownHostsFiles) {
      let mtimeMs: number;
      try {
        mtimeMs = statSync(file).mtimeMs;
      } catch {
        continue; // no such file: nothing known from it
      }
      let cached = this.cache.get(file);
      if (!cached || cached.mtimeMs !== mtimeMs) {
        cached = { mtimeMs, entries: parseKnownHosts(readFileSync(file, 'utf8')) };
        this.cache.set(file, cached);
      }
      all.push(...cached.entries);
    }
    return all;
  }

  verify(host: string, port: number, keyBlob: Buffer): HostKeyVerdict {
    const algorithm = keyAlgorithm(keyBlob);
    const fingerprint = sha256Fingerprint(keyBlob);
    const known = checkKnownHosts(this.entries(), host, port, algorithm, keyBlob);
    switch (known.kind) {
      case 'match':
        return { kind: 'trusted' };
      case 'revoked':
        return {
          kind: 'mismatch',
          algorithm,
          fingerprint,
          expected: 'none: this key is marked @revoked in known_hosts',
        };
      case 'mismatch':
        return { kind: 'mismatch', algorithm, fingerprint, expected: sha256Fingerprint(known.expected) };
      case 'unknown':
        return this.store.check(host, port, algorithm, fingerprint);
    }
  }
}
