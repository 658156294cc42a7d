// Resolution of host aliases against ~/.ssh/config, checked against what the real `ssh -G`
// resolves from the same file.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseHostSpec, resolveTarget } from '../../../../src/main/ssh/ssh-target';
import { tempDir } from '../../../helpers/transports';

const CONFIG = `
Host hv-*
  User ops
  IdentityFile ~/.ssh/fleet_key

Host hv-01
  HostName 10.1.0.11
  Port 2201

Host bastion
  HostName jump.example.org
  User jumper
  Port 2022

Host inner
  HostName 10.9.0.5
  ProxyJump bastion,ops2@jump2.example.org:2200

Host *
  User fallback
`;

/** ssh -G: the real OpenSSH's resolution of the same config. */
function sshG(alias: string, configFile: string): Record<string, string> {
  const out = execFileSync('ssh', ['-G', '-F', configFile, alias], { encoding: 'utf8' });
  const map: Record<string, string> = {};
  for (const line of out.split('\n')) {
    const i = line.indexOf(' ');
    if (i > 0 && !(line.slice(0, i) in map)) map[line.slice(0, i)] = line.slice(i + 1);
  }
  return map;
}

describe('parseHostSpec', () => {
  it('reads ssh:// URLs, user@host:port, bare hosts and [v6]:port', () => {
    expect(parseHostSpec('ssh://root@hv1:2222')).toEqual({ user: 'root', host: 'hv1', port: 2222 });
    expect(parseHostSpec('hv1')).toEqual({ host: 'hv1' });
    expect(parseHostSpec('ops@[::1]:22')).toEqual({ user: 'ops', host: '::1', port: 22 });
    expect(() => parseHostSpec('hv1:99999')).toThrow(/port/);
  });
});

describe('resolveTarget', () => {
  const home = tempDir('home');
  const configFile = join(home, 'config');
  writeFileSync(configFile, CONFIG);
  const env = { sshConfigText: CONFIG, home, localUser: 'me' };

  it('agrees with `ssh -G` on HostName, User, Port and IdentityFile', () => {
    for (const alias of ['hv-01', 'bastion', 'plainhost']) {
      const g = sshG(alias, configFile);
      const t = resolveTarget({ host: alias }, env);
      expect(t.address, alias).toBe(g.hostname);
      expect(String(t.port), alias).toBe(g.port);
      expect(t.user, alias).toBe(g.user);
    }
    const hv = resolveTarget({ host: 'hv-01' }, env);
    expect(hv.identityFiles).toEqual([join(home, '.ssh', 'fleet_key')]);
  });

  it('lets explicit values win over the config', () => {
    const t = resolveTarget({ host: 'hv-01', user: 'root', port: 22, identityFile: '/k' }, env);
    expect(t).toMatchObject({ address: '10.1.0.11', user: 'root', port: 22, identityFiles: ['/k'] });
  });

  it('follows ProxyJump chains, resolving each bastion through the config', () => {
    const t = resolveTarget({ host: 'inner' }, env);
    expect(sshG('inner', configFile).proxyjump).toBe('bastion,ops2@jump2.example.org:2200');
    expect(t.jumps.map((j) => `${j.user}@${j.address}:${j.port}`)).toEqual([
      'jumper@jump.example.org:2022',
      'ops2@jump2.example.org:2200',
    ]);
    expect(resolveTarget({ host: 'inner', jump: 'none' }, env).jumps).toEqual([]);
    expect(resolveTarget({ host: '10.0.0.1', jump: 'x@b1:7' }, env).jumps[0]).toMatchObject({ user: 'x', port: 7 });
  });

  it('works without any ssh config', () => {
    const t = resolveTarget({ host: 'ops@hv9:2200' }, { sshConfigText: null, home, localUser: 'me' });
    expect(t).toMatchObject({ address: 'hv9', user: 'ops', port: 2200, jumps: [] });
    expect(resolveTarget({ host: 'hv9' }, { sshConfigText: null, home, localUser: 'me' }).user).toBe('me');
  });
});
