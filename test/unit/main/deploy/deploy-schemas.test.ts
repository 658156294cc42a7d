// The wizard's inputs at the contract: libvirt's name rules with field-named errors, defaults,
// and the names VirtDeck derives (volumes) or reads back (tagged instances).
import { describe, expect, it } from 'vitest';
import { api } from '../../../../src/shared/contract/api';
import { reasonField, volumeName } from '../../../../src/main/deploy/deploy-service';
import { parseScan } from '../../../../src/main/deploy/instance-scan';

const fields = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  (r.error?.issues ?? []).map((i) => `${i.path.map(String).join('.')}: ${i.message}`);
const template = {
  source: { kind: 'overlay', base: { pool: 'p', volume: 'b.qcow2' } },
  pool: 'p',
  vcpus: 1,
  memoryMiB: 32,
  diskMiB: 64,
};

describe('deploy.create params', () => {
  it('accepts hostile names and fills the defaults', () => {
    const r = api['deploy.create'].params.safeParse({
      name: `a b'c"$(x) \`y\` 测试`,
      placement: { mode: 'auto' },
      template,
    });
    expect(r.success).toBe(true);
    expect(r.data?.placement).toEqual({
      mode: 'auto',
      policy: { strategy: 'bestFit', cpuOvercommit: 4, reserveMemoryMiB: 0, perHost: {} },
    });
    expect(r.data?.template).toMatchObject({
      network: { kind: 'none' },
      virtType: 'kvm',
      autostart: false,
      start: true,
    });
  });

  it.each([
    ['', 'name: name is required'],
    [' web', 'name: name must not start or end with a blank'],
    ['a/b', 'name: name must not contain "/" (libvirt refuses it)'],
    ['a\nb', 'name: name must not contain control characters (newline, tab …)'],
    ['42', 'name: name must not be only digits (virsh would read it as a domain id)'],
    ['6f1e2b7c-0a4d-4c8e-9f00-1234567890ab', 'name: name must not look like a UUID (virsh would read it as one)'],
    ['x'.repeat(101), 'name: name must be at most 100 characters'],
  ])('refuses the name %j', (name, error) => {
    expect(fields(api['deploy.create'].params.safeParse({ name, placement: { mode: 'auto' }, template }))).toEqual([
      error,
    ]);
  });

  it('names every bad field', () => {
    const r = api['deploy.validate'].params.safeParse({
      name: 'ok',
      placement: { mode: 'host' },
      template: {
        ...template,
        source: { kind: 'copy', base: { pool: 'q', volume: 'b' } },
        vcpus: 0,
        memoryMiB: 8,
        cloudInit: { user: 'Root!', sshKeys: ['not a key'] },
      },
    });
    expect(fields(r)).toEqual([
      'placement.hostId: host id is required',
      'template.vcpus: vcpus must be at least 1',
      'template.memoryMiB: memoryMiB must be at least 32 MiB',
      'template.cloudInit.user: user must be a lowercase login name (letters, digits, "_" and "-")',
      'template.cloudInit.sshKeys.0: each SSH key must be one public key line (ssh-ed25519 AAAA… comment)',
      "template.pool: a full copy is made in the base volume's pool ('q'); choose that pool or an overlay",
    ]);
  });

  it('refuses a full copy into another pool than the base', () => {
    const r = api['deploy.create'].params.safeParse({
      name: 'ok',
      placement: { mode: 'auto' },
      template: { ...template, source: { kind: 'copy', base: { pool: 'q', volume: 'b' } } },
    });
    expect(fields(r)).toEqual([
      "template.pool: a full copy is made in the base volume's pool ('q'); choose that pool or an overlay",
    ]);
  });

  it('groups: names are simple, counts bounded', () => {
    expect(fields(api['groups.save'].params.safeParse({ name: 'web tier', template }))).toEqual([
      'name: group name may contain only letters, digits, ".", "_" and "-"',
    ]);
    expect(fields(api['groups.scale'].params.safeParse({ id: 'g', count: -1 }))).toEqual([
      'count: Too small: expected number to be >=0',
    ]);
  });
});

describe('derived names', () => {
  it('volume names never carry the raw VM name', () => {
    expect(volumeName(`a b'c"$(x) 测试`, '6f1e2b7c-0a4d', '.qcow2')).toBe('a_b_c_x_-6f1e2b7c.qcow2');
    expect(volumeName('..', 'abcdef01', '-seed.iso')).toBe('vm-abcdef01-seed.iso');
  });
  it('maps placement reasons to fields', () => {
    expect(reasonField('memory: needs 1 GiB')).toBe('template.memoryMiB');
    expect(reasonField("a VM named 'x' already exists on this host")).toBe('name');
    expect(reasonField('connection refused')).toBe('placement');
  });
});

describe('parseScan', () => {
  it('keeps the tagged domains with their names, whatever the names hold', () => {
    const out = [
      'u1',
      'u2',
      'u3',
      '',
      '@@VD tags',
      '@@VD dom u1',
      `a b'c"$(x)`,
      '',
      '@@VD tag',
      '<instance created-at="5" host-id="h" group-id="g" group-name="web"/>',
      '',
      '@@VD dom u2',
      'lab-vm01',
      '',
      '@@VD tag',
      '@@VD dom u3',
      'plain',
      '@@VD tag',
      '<instance created-at="9"/>',
    ].join('\n');
    expect(parseScan(out)).toEqual([
      { uuid: 'u1', name: `a b'c"$(x)`, tag: { createdAt: 5, hostId: 'h', group: { id: 'g', name: 'web' } } },
      { uuid: 'u3', name: 'plain', tag: { createdAt: 9 } },
    ]);
  });
});
