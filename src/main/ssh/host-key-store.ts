// VirtDeck's own trust store of host keys: "[address]:port" → fingerprint the user accepted.
// A key is never trusted silently: unknown keys wait for the user, changed keys are refused.
import { JsonFile } from '../config/json-file';

export interface TrustedKey {
  algorithm: string;
  fingerprint: string;
  trustedAt: string;
}

export type HostKeyVerdict =
  | { kind: 'trusted' }
  | { kind: 'unknown'; algorithm: string; fingerprint: string }
  | { kind: 'mismatch'; algorithm: string; fingerprint: string; expected: string };

export function hostKeyId(address: string, port: number): string {
  return `[${address.toLowerCase()}]:${port}`;
}

export class HostKeyStore {
  private readonly file: JsonFile<Record<string, TrustedKey>>;
  constructor(path: string) {
    this.file = new JsonFile(path, {});
  }

  check(address: string, port: number, algorithm: string, fingerprint: string): HostKeyVerdict {
    const known = this.file.read()[hostKeyId(address, port)];
    if (!known) return { kind: 'unknown', algorithm, fingerprint };
    if (known.fingerprint === fingerprint) return { kind: 'trusted' };
    return { kind: 'mismatch', algorithm, fingerprint, expected: known.fingerprint };
  }

  trust(address: string, port: number, algorithm: string, fingerprint: string): void {
    const all = { ...this.file.read() };
    all[hostKeyId(address, port)] = { algorithm, fingerprint, trustedAt: new Date().toISOString() };
    this.file.write(all);
  }

  /** Forgets the key trusted for address:port (the demo fleet's, when it is removed). */
  forget(address: string, port: number): void {
    const { [hostKeyId(address, port)]: _gone, ...rest } = this.file.read();
    this.file.write(rest);
  }
}
