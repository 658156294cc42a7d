// known_hosts checks against files written and hashed by the real ssh-keygen.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkKnownHosts, knownHostsName, parseKnownHosts } from '../../../../src/main/ssh/known-hosts';
import { tempDir } from '../../../helpers/transports';

function newKey(dir: string, name: string): { type: string; blob: Buffer; line: string } {
  const file = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file]);
  const [type, b64] = readFileSync(`${file}.pub`, 'utf8').trim().split(' ');
  return { type: type ?? '', blob: Buffer.from(b64 ?? '', 'base64'), line: `${type} ${b64}` };
}

describe('known_hosts', () => {
  const dir = tempDir('kh');
  const a = newKey(dir, 'a');
  const b = newKey(dir, 'b');

  it('names non-22 ports the way ssh does', () => {
    expect(knownHostsName('hv1', 22)).toBe('hv1');
    expect(knownHostsName('hv1', 2222)).toBe('[hv1]:2222');
  });

  it('matches plain, hashed, wildcard and comma-listed entries', () => {
    const file = join(dir, 'known_hosts');
    writeFileSync(file, `hv1,10.0.0.1 ${a.line}\n[hv2]:2222 ${a.line}\n*.lab.example ${a.line}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
    const hashedText = readFileSync(file, 'utf8');
    expect(hashedText).not.toMatch(/hv1|hv2/); // wildcards stay, names are hashed
    const entries = parseKnownHosts(hashedText);
    expect(entries.filter((e) => e.hashed)).toHaveLength(3);
    expect(checkKnownHosts(entries, 'hv1', 22, a.type, a.blob).kind).toBe('match');
    expect(checkKnownHosts(entries, '10.0.0.1', 22, a.type, a.blob).kind).toBe('match');
    expect(checkKnownHosts(entries, 'hv2', 2222, a.type, a.blob).kind).toBe('match');
    expect(checkKnownHosts(entries, 'hv2', 22, a.type, a.blob).kind).toBe('unknown');
    expect(checkKnownHosts(entries, 'x.lab.example', 22, a.type, a.blob).kind).toBe('match');
    expect(checkKnownHosts(entries, 'elsewhere', 22, a.type, a.blob).kind).toBe('unknown');
  });

  it('reports a changed key for a known host, with the key it expected', () => {
    const entries = parseKnownHosts(`hv1 ${a.line}\n`);
    const v = checkKnownHosts(entries, 'hv1', 22, b.type, b.blob);
    expect(v.kind).toBe('mismatch');
    if (v.kind === 'mismatch') expect(v.expected.equals(a.blob)).toBe(true);
  });

  it('honours negation and @revoked, and skips comments and junk', () => {
    const entries = parseKnownHosts(
      `# comment\n\ngarbage\n*.lab,!bad.lab ${a.line}\n@revoked * ${b.line}\n@cert-authority *.lab ${b.line}\n`,
    );
    expect(checkKnownHosts(entries, 'good.lab', 22, a.type, a.blob).kind).toBe('match');
    expect(checkKnownHosts(entries, 'bad.lab', 22, a.type, a.blob).kind).toBe('unknown');
    expect(checkKnownHosts(entries, 'good.lab', 22, b.type, b.blob).kind).toBe('revoked');
  });
});
