// The create-VM wizard's pure rules: the spec it sends (accepted by the contract's schema), the
// per-step checks against a host's capacity, and where a server field error sends the user back.
import { describe, expect, it } from 'vitest';
import { vmSpecSchema } from '../../src/shared/contract/deploy-schemas';
import type { HostDeployOptions } from '../../src/shared/model/deploy';
import { checkStep, newDraft, problemFor, specOf, stepOfField, templateOf } from '../../src/renderer/deploy/wizard';
import type { WizardDraft } from '../../src/renderer/deploy/wizard';

const MiB = 1024 * 1024;
const host: HostDeployOptions = {
  hostId: 'h1',
  hostName: 'hv1',
  ok: true,
  error: null,
  pools: [
    {
      name: 'images',
      state: 'running',
      type: 'dir',
      path: '/var/lib/images',
      capacityBytes: 0,
      allocationBytes: 0,
      availableBytes: 2048 * MiB,
    },
    {
      name: 'old',
      state: 'inactive',
      type: 'dir',
      path: null,
      capacityBytes: 0,
      allocationBytes: 0,
      availableBytes: 0,
    },
  ],
  volumes: [
    {
      pool: 'images',
      name: 'debian.qcow2',
      path: '/var/lib/images/debian.qcow2',
      format: 'qcow2',
      capacityBytes: 4096 * MiB,
      allocationBytes: 300 * MiB,
    },
    {
      pool: 'images',
      name: 'install.iso',
      path: '/var/lib/images/install.iso',
      format: 'raw',
      capacityBytes: 600 * MiB,
      allocationBytes: 600 * MiB,
    },
  ],
  networks: [{ name: 'default', active: true, bridge: 'virbr0' }],
  bridges: ['br0'],
  seedTool: null,
  seedToolMissing: 'none of cloud-localds, genisoimage, xorriso on PATH',
  kvm: false,
  capacity: {
    cpus: 4,
    vcpusCommitted: 2,
    memoryBytes: 8192 * MiB,
    freeMemoryBytes: 3000 * MiB,
    domainNames: ['taken'],
    pool: null,
  },
};
const draft = (over: Partial<WizardDraft> = {}): WizardDraft => ({
  ...newDraft(),
  name: 'web-01',
  hostId: 'h1',
  base: { pool: 'images', volume: 'debian.qcow2' },
  pool: 'images',
  memoryMiB: 1024,
  diskMiB: 4096,
  ...over,
});
const keys = (d: WizardDraft, step: Parameters<typeof checkStep>[0]) =>
  checkStep(step, d, host).map((p) => `${p.field}:${p.key}:${p.level}`);

describe('create-VM wizard: the spec', () => {
  it('turns a filled draft into a spec the contract accepts (overlay on a host, no cloud-init)', () => {
    const spec = specOf(draft());
    expect(spec).toMatchObject({
      name: 'web-01',
      placement: { mode: 'host', hostId: 'h1' },
      template: {
        source: { kind: 'overlay', base: { pool: 'images', volume: 'debian.qcow2' } },
        pool: 'images',
        network: { kind: 'none' },
      },
    });
    expect(spec.template.cloudInit).toBeUndefined();
    expect(vmSpecSchema.safeParse(spec).success).toBe(true);
  });

  it('sends automatic placement with its strategy, a network, an ISO and cloud-init keys one per line', () => {
    const spec = specOf(
      draft({
        placementMode: 'auto',
        strategy: 'leastLoaded',
        sourceKind: 'empty',
        iso: { pool: 'images', volume: 'install.iso' },
        networkKind: 'bridge',
        networkName: 'br0',
        cloudInit: true,
        user: 'ops',
        sshKeys: 'ssh-ed25519 AAAAC3Nza a@b\n\n  ssh-rsa AAAAB3Nz c@d  \n',
      }),
    );
    expect(spec.placement).toEqual({ mode: 'auto', policy: { strategy: 'leastLoaded' } });
    expect(spec.template.source).toEqual({ kind: 'empty', iso: { pool: 'images', volume: 'install.iso' } });
    expect(spec.template.network).toEqual({ kind: 'bridge', name: 'br0' });
    expect(spec.template.cloudInit).toEqual({
      user: 'ops',
      sshKeys: ['ssh-ed25519 AAAAC3Nza a@b', 'ssh-rsa AAAAB3Nz c@d'],
    });
    expect(vmSpecSchema.safeParse(spec).success).toBe(true);
    expect(templateOf(draft({ sourceKind: 'empty' })).source).toEqual({ kind: 'empty' });
  });
});

describe('create-VM wizard: step checks', () => {
  it('placement: a valid name free on the host, and a host', () => {
    expect(keys(draft(), 'placement')).toEqual([]);
    expect(keys(draft({ name: 'taken' }), 'placement')).toEqual(['name:nameTaken:error']);
    expect(keys(draft({ name: '12' }), 'placement')).toEqual(['name:nameInvalid:error']);
    expect(checkStep('placement', draft({ name: 'a/b' }), host)[0]?.params?.reason).toMatch(/"\/"/);
    expect(keys(draft({ hostId: null }), 'placement')).toContain('hostId:hostRequired:error');
    expect(keys(draft({ placementMode: 'auto', hostId: null }), 'placement')).toEqual([]);
  });

  it('source: a base for overlay/copy, a running pool, a copy in the base’s pool', () => {
    expect(keys(draft(), 'source')).toEqual([]);
    expect(keys(draft({ base: null }), 'source')).toEqual(['base:baseRequired:error']);
    expect(keys(draft({ sourceKind: 'empty', base: null }), 'source')).toEqual([]);
    expect(keys(draft({ pool: 'old' }), 'source')).toEqual(['pool:poolInactive:error']);
    expect(keys(draft({ pool: 'nope' }), 'source')).toEqual(['pool:poolMissing:error']);
    expect(keys(draft({ sourceKind: 'copy', pool: 'old' }), 'source')).toContain('pool:copySamePool:error');
  });

  it('size: against the host’s CPUs, free memory, the pool’s free space and the base’s size', () => {
    expect(keys(draft(), 'size')).toEqual(['diskMiB:diskOverPoolThin:warning']); // 4 GiB overlay, 2 GiB free
    expect(keys(draft({ vcpus: 5 }), 'size')).toContain('vcpus:vcpusOverCpus:error');
    expect(checkStep('size', draft({ vcpus: 5 }), host)[0]?.params).toEqual({ cpus: 4 });
    expect(keys(draft({ memoryMiB: 4000 }), 'size')).toContain('memoryMiB:memoryOverFree:error');
    expect(keys(draft({ memoryMiB: 16 }), 'size')).toContain('memoryMiB:memoryMin:error');
    expect(keys(draft({ diskMiB: 1024 }), 'size')).toEqual(['diskMiB:diskUnderBase:error']);
    expect(keys(draft({ sourceKind: 'empty', diskMiB: 4096 }), 'size')).toEqual(['diskMiB:diskOverPool:error']);
    expect(keys(draft({ sourceKind: 'empty', diskMiB: 1024 }), 'size')).toEqual([]);
    expect(keys(draft({ vcpus: 1.5 }), 'size')).toContain('vcpus:vcpusMin:error');
    // no host known yet (automatic placement found none): only the plain limits
    expect(checkStep('size', draft({ vcpus: 64 }), null)).toEqual([]);
  });

  it('network: a name when a network or bridge is chosen', () => {
    expect(keys(draft(), 'network')).toEqual([]);
    expect(keys(draft({ networkKind: 'bridge' }), 'network')).toEqual(['networkName:bridgeRequired:error']);
    expect(keys(draft({ networkKind: 'network', networkName: 'default' }), 'network')).toEqual([]);
  });

  it('cloud-init: says when the host has no seed tool, and checks keys and user', () => {
    expect(keys(draft(), 'cloudInit')).toEqual([]);
    const withTool = { ...host, seedTool: 'genisoimage' as const, seedToolMissing: null };
    expect(checkStep('cloudInit', draft({ cloudInit: true }), withTool)).toEqual([]);
    expect(keys(draft({ cloudInit: true }), 'cloudInit')).toEqual(['cloudInit:noSeedTool:error']);
    const bad = checkStep('cloudInit', draft({ cloudInit: true, sshKeys: 'not a key', user: 'Root' }), withTool);
    expect(bad.map((p) => p.field).sort()).toEqual(['sshKeys', 'user']);
    expect(problemFor(bad, 'sshKeys')?.params?.reason).toMatch(/one public key line/);
  });
});

describe('create-VM wizard: server field errors', () => {
  it('map back to the step that owns the field', () => {
    expect(stepOfField('name')).toBe('placement');
    expect(stepOfField('placement.hostId')).toBe('placement');
    expect(stepOfField('template.source.base.volume')).toBe('source');
    expect(stepOfField('template.pool')).toBe('source');
    expect(stepOfField('template.diskMiB')).toBe('size');
    expect(stepOfField('template.network.name')).toBe('network');
    expect(stepOfField('template.cloudInit.sshKeys.0')).toBe('cloudInit');
    expect(stepOfField('template.autostart')).toBe('review');
    expect(stepOfField('')).toBe('review');
  });
  it('show errors before warnings under a field', () => {
    const w = { field: 'diskMiB', level: 'warning' as const, key: 'a' };
    const e = { field: 'diskMiB', level: 'error' as const, key: 'b' };
    expect(problemFor([w, e], 'diskMiB')).toBe(e);
    expect(problemFor([w], 'diskMiB')).toBe(w);
    expect(problemFor([w], 'vcpus')).toBeNull();
  });
});
