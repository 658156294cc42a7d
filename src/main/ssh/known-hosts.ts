// Reads OpenSSH known_hosts files (plain and hashed `|1|salt|hash` entries, `[host]:port`,
// wildcards, negation, @revoked) and says whether a presented key is known, changed or new.
import { createHmac } from 'node:crypto';

export interface KnownHostEntry {
  marker: 'revoked' | 'cert-authority' | null;
  /** Comma-separated patterns, or one hashed entry. */
  patterns: string[];
  hashed: { salt: Buffer; hash: Buffer } | null;
  keyType: string;
  keyBlob: Buffer;
  line: number;
}

export type KnownHostsVerdict =
  | { kind: 'match' | 'revoked' | 'unknown' }
  /** `expected` is the key known_hosts lists for this host and key type. */
  | { kind: 'mismatch'; expected: Buffer; line: number };

export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    let marker: KnownHostEntry['marker'] = null;
    if (fields[0] === '@revoked' || fields[0] === '@cert-authority') {
      marker = fields[0] === '@revoked' ? 'revoked' : 'cert-authority';
      fields.shift();
    }
    const [hosts, keyType, keyB64] = fields;
    if (!hosts || !keyType || !keyB64) continue;
    const keyBlob = Buffer.from(keyB64, 'base64');
    if (keyBlob.length === 0) continue;
    let hashed: KnownHostEntry['hashed'] = null;
    if (hosts.startsWith('|1|')) {
      const [, , salt, hash] = hosts.split('|');
      if (!salt || !hash) continue;
      hashed = { salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') };
    }
    entries.push({ marker, patterns: hashed ? [] : hosts.split(','), hashed, keyType, keyBlob, line: i + 1 });
  }
  return entries;
}

/** The name OpenSSH looks up: `host` on port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

function patternsMatch(patterns: readonly string[], name: string): boolean {
  let matched = false;
  for (const p of patterns) {
    const negated = p.startsWith('!');
    const re = globToRegExp(negated ? p.slice(1) : p);
    if (re.test(name)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

function entryMatchesHost(e: KnownHostEntry, names: readonly string[]): boolean {
  if (e.hashed) {
    const { salt, hash } = e.hashed;
    return names.some((n) => createHmac('sha1', salt).update(n).digest().equals(hash));
  }
  return names.some((n) => patternsMatch(e.patterns, n));
}

/**
 * Checks a presented key the way ssh does: revoked keys are refused; a host listed with the
 * same key type but other key bytes has CHANGED its key; a matching key is known.
 */
export function checkKnownHosts(
  entries: readonly KnownHostEntry[],
  host: string,
  port: number,
  keyType: string,
  keyBlob: Buffer,
): KnownHostsVerdict {
  if (entries.some((e) => e.marker === 'revoked' && e.keyBlob.equals(keyBlob))) return { kind: 'revoked' };
  const names = [knownHostsName(host, port)];
  const forHost = entries.filter((e) => e.marker === null && entryMatchesHost(e, names));
  if (forHost.some((e) => e.keyBlob.equals(keyBlob))) return { kind: 'match' };
  const sameType = forHost.find((e) => e.keyType === keyType);
  if (sameType) return { kind: 'mismatch', expected: sameType.keyBlob, line: sameType.line };
  return { kind: 'unknown' };
}
