// cloud-init seed files: JSON (valid YAML) so no value is spliced into YAML; extra user-data as
// a second MIME part, untouched; hostnames made safe.
import { describe, expect, it } from 'vitest';
import { hostnameFrom, seedFiles } from '../../../../src/main/deploy/cloud-init';
import { seedToolArgv } from '../../../../src/main/deploy/seed-iso';

const vm = { name: `a b'c"$(x) 测试`, uuid: '6f1e2b7c-0a4d-4c8e-9f00-1234567890ab' };
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ ops@desk';

describe('seedFiles', () => {
  it('writes meta-data and a #cloud-config user-data as JSON', () => {
    const f = seedFiles({ user: 'ops', sshKeys: [KEY] }, vm);
    expect(JSON.parse(f['meta-data'])).toEqual({ 'instance-id': vm.uuid, 'local-hostname': 'a-b-c-x' });
    expect(f['user-data'].startsWith('#cloud-config\n')).toBe(true);
    const config = JSON.parse(f['user-data'].slice('#cloud-config\n'.length)) as Record<string, unknown>;
    expect(config).toMatchObject({
      hostname: 'a-b-c-x',
      users: ['default', { name: 'ops', ssh_authorized_keys: [KEY], lock_passwd: true }],
    });
  });

  it('puts keys on the default user when no user is named, and keeps the hostname given', () => {
    const f = seedFiles({ hostname: 'web-1', sshKeys: [KEY] }, vm);
    const config = JSON.parse(f['user-data'].slice(14)) as Record<string, unknown>;
    expect(config).toEqual({ hostname: 'web-1', preserve_hostname: false, ssh_authorized_keys: [KEY] });
  });

  it('sends extra user-data as a second MIME part, byte for byte', () => {
    const extra = '#!/bin/sh\necho "$(id)" `date` \'测试\'\n';
    const f = seedFiles({ sshKeys: [], userData: extra }, vm, 'BOUNDARY');
    expect(f['user-data']).toBe(
      [
        'Content-Type: multipart/mixed; boundary="BOUNDARY"',
        'MIME-Version: 1.0',
        '',
        '--BOUNDARY',
        'Content-Type: text/cloud-config; charset="utf-8"',
        'MIME-Version: 1.0',
        'Content-Transfer-Encoding: 8bit',
        '',
        '#cloud-config',
        JSON.stringify({ hostname: 'a-b-c-x', preserve_hostname: false }, null, 2),
        '--BOUNDARY',
        'Content-Type: text/x-shellscript; charset="utf-8"',
        'MIME-Version: 1.0',
        'Content-Transfer-Encoding: 8bit',
        '',
        `${extra}--BOUNDARY--`,
        '',
      ].join('\n'),
    );
  });

  it('draws another boundary when the user-data contains it', () => {
    const f = seedFiles({ sshKeys: [], userData: '#cloud-config\n# --B\n' }, vm, 'B');
    expect(f['user-data']).toMatch(/^Content-Type: multipart\/mixed; boundary="==VirtDeck[0-9a-f]{24}=="/);
  });
});

describe('hostnameFrom', () => {
  it('keeps letters, digits and inner dashes, at most 63', () => {
    expect(hostnameFrom('Web_01.prod')).toBe('Web-01-prod');
    expect(hostnameFrom('数据库')).toBe('vm');
    expect(hostnameFrom(`${'a'.repeat(62)}-b`)).toBe('a'.repeat(62));
  });
});

describe('seedToolArgv', () => {
  it('builds a cidata ISO with each tool', () => {
    expect(seedToolArgv('genisoimage', '/tmp/d')).toEqual([
      'genisoimage',
      '-output',
      '/tmp/d/seed.iso',
      '-volid',
      'cidata',
      '-joliet',
      '-rock',
      '-quiet',
      '/tmp/d/seed',
    ]);
    expect(seedToolArgv('xorriso', '/tmp/d').slice(0, 3)).toEqual(['xorriso', '-as', 'genisoimage']);
    expect(seedToolArgv('cloud-localds', '/tmp/d')).toEqual([
      'cloud-localds',
      '/tmp/d/seed.iso',
      '/tmp/d/seed/user-data',
      '/tmp/d/seed/meta-data',
    ]);
  });
});
