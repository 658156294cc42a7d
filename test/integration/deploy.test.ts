// The create-VM wizard's core on the real lab (libvirtd + sshd): host options, automatic
// placement across two "hosts" (the lab's sshd directly and through a proxy), a VM created from
// a base image as a qcow2 overlay with a cloud-init seed and a hostile name, seen running by the
// collector, deleted with its storage; failures (no room, name taken, host lost mid-task, define
// rejected) that fail the task at a named step and leave nothing behind. Only domains and pools
// named vd-deploy-… are created, and removed at the end.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { VmSpecInput, VmTemplateInput } from '../../src/shared/contract/deploy-schemas';
import type { Task } from '../../src/shared/model/task';
import { describeWithLab } from '../helpers/lab';
import { BASE, createTestPool, removeDomainByName, startDeployLab } from '../helpers/deploy-lab';
import type { DeployLab, TestPool } from '../helpers/deploy-lab';
import { defineDomain, virsh, virshMaybe } from '../helpers/task-lab';

const HOSTILE = `vd-deploy a b'c"$(touch vd-pwned1);\`touch vd-pwned2\``;
const HOSTILE_USERDATA = '#!/bin/sh\necho "$(touch vd-pwned3)" `touch vd-pwned4` \'数据库-主机 01\'\n';

const stepsOf = (t: Task) => t.steps.map((s) => `${s.name}: ${s.state}`);

describeWithLab('deploy: create VMs through the contract', (getLab) => {
  let d: DeployLab;
  let pool: TestPool;
  const names: string[] = [];
  const DUP = 'vd-deploy-dup';
  let dupUuid = '';

  const template = (extra: Partial<VmTemplateInput> = {}): VmTemplateInput => ({
    source: { kind: 'overlay', base: { pool: pool.name, volume: BASE } },
    pool: pool.name,
    vcpus: 1,
    memoryMiB: 32,
    diskMiB: 64,
    virtType: 'qemu',
    ...extra,
  });
  const spec = (name: string, extra: Partial<VmSpecInput> = {}, t: Partial<VmTemplateInput> = {}): VmSpecInput => {
    names.push(name);
    return { name, placement: { mode: 'host', hostId: d.hostId }, template: template(t), ...extra };
  };

  beforeAll(async () => {
    const lab = getLab();
    pool = createTestPool(lab, 'a');
    d = await startDeployLab(lab);
    names.push(DUP);
    dupUuid = defineDomain(lab, DUP);
  }, 60_000);

  afterAll(async () => {
    const lab = getLab();
    await d?.close();
    for (const n of names) removeDomainByName(lab, n);
    pool?.remove();
    for (const f of ['vd-pwned1', 'vd-pwned2', 'vd-pwned3', 'vd-pwned4']) {
      expect(existsSync(join(lab.dir, 'home', 'vdmon', f))).toBe(false);
      expect(existsSync(join('/root', f))).toBe(false);
      expect(existsSync(join('/tmp', f))).toBe(false);
    }
  });

  it('lists what each host offers: the pool, its base volume, the seed tool', async () => {
    const opts = await d.client.call('deploy.hostOptions', {});
    expect(opts.map((o) => o.hostId).sort()).toEqual([d.hostId, d.hostB].sort());
    for (const o of opts) {
      expect(o.ok, o.error ?? '').toBe(true);
      const p = o.pools.find((x) => x.name === pool.name);
      expect(p).toMatchObject({ state: 'running', type: 'dir', path: pool.dir });
      expect(p?.availableBytes).toBeGreaterThan(0);
      expect(o.volumes.find((v) => v.pool === pool.name && v.name === BASE)).toMatchObject({
        format: 'qcow2',
        capacityBytes: 16 * 1024 * 1024,
        path: join(pool.dir, BASE),
      });
      expect(o.seedTool).toBe('genisoimage');
      expect(o.capacity?.cpus).toBeGreaterThan(0);
      expect(o.capacity?.domainNames).toContain(DUP);
    }
  });

  it('ranks the two hosts by the room they would have left, and says why one is excluded', async () => {
    const need = { vcpus: 1, memoryMiB: 32, diskMiB: 64, pool: pool.name, base: { pool: pool.name, volume: BASE } };
    const perHost = { [d.hostId]: { cpuOvercommit: 4 }, [d.hostB]: { cpuOvercommit: 16 } };
    const best = await d.client.call('deploy.placement', { ...need, policy: { strategy: 'bestFit', perHost } });
    expect(best.chosenHostId).toBe(d.hostId); // fewer vCPU slots: the tighter fit
    expect(best.candidates.map((c) => [c.hostId, c.rank])).toEqual([
      [d.hostId, 1],
      [d.hostB, 2],
    ]);
    expect(best.summary).toMatch(/^lab-tasks: best fit/);
    const least = await d.client.call('deploy.placement', { ...need, policy: { strategy: 'leastLoaded', perHost } });
    expect(least.chosenHostId).toBe(d.hostB);
    const reserve = await d.client.call('deploy.placement', {
      ...need,
      policy: { perHost: { [d.hostId]: { reserveMemoryMiB: 16 * 1024 * 1024 } } },
    });
    expect(reserve.chosenHostId).toBe(d.hostB);
    const excluded = reserve.candidates.find((c) => c.hostId === d.hostId);
    expect(excluded?.eligible).toBe(false);
    expect(excluded?.reasons.join()).toMatch(/^memory: needs 32\.0 MiB, .* available after keeping 16\.0 TiB free/);
    const noPool = await d.client.call('deploy.placement', { ...need, pool: 'vd-deploy-no-such-pool' });
    expect(noPool.chosenHostId).toBeNull();
    expect(noPool.summary).toMatch(/no host can take this VM: .*storage pool 'vd-deploy-no-such-pool' does not exist/);
  });

  it('validates fields and previews the XML', async () => {
    const bad = await d.client.call('deploy.validate', spec(DUP, {}, { diskMiB: 8 }));
    expect(bad.ok).toBe(false);
    expect(bad.errors).toEqual(
      expect.arrayContaining([
        { field: 'name', message: `a VM named '${DUP}' already exists on this host` },
        { field: 'template.diskMiB', message: "the disk must be at least the base volume's size (16 MiB)" },
      ]),
    );
    const p = await d.client.call(
      'deploy.previewXml',
      spec(HOSTILE, {}, { network: { kind: 'bridge', name: 'vd-no-br' } }),
    );
    expect(p.errors).toEqual([{ field: 'template.network.name', message: "no bridge 'vd-no-br' on lab-tasks" }]);
    const ok = await d.client.call('deploy.previewXml', spec(HOSTILE));
    expect(ok.ok).toBe(true);
    expect(ok.xml).toContain('<name>vd-deploy a b\'c"$(touch vd-pwned1);`touch vd-pwned2`</name>');
    expect(ok.xml).toContain(`<uuid>${ok.uuid}</uuid>`);
    expect(ok.steps).toEqual(['check the host', 'create the disk', 'define the domain', 'start', 'wait until running']);
  });

  it('creates a VM with automatic placement, seen running by the collector; delete with storage leaves no volume', async () => {
    const created = await d.client.call(
      'deploy.create',
      spec(
        HOSTILE,
        {
          placement: {
            mode: 'auto',
            policy: { strategy: 'leastLoaded', perHost: { [d.hostB]: { cpuOvercommit: 16 } } },
          },
        },
        {
          cloudInit: {
            user: 'ops',
            sshKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ vd@test'],
            userData: HOSTILE_USERDATA,
          },
        },
      ),
    );
    expect(created.hostId).toBe(d.hostB);
    expect(created.params.placement).toMatch(/^lab-deploy-b: least loaded/);
    const task = await d.settle(created.id, 120_000);
    expect(task.error).toBeNull();
    expect(task.state).toBe('succeeded');
    expect(stepsOf(task)).toEqual([
      'check the host: succeeded',
      'create the disk: succeeded',
      'build the cloud-init seed ISO: succeeded',
      'upload the seed ISO: succeeded',
      'define the domain: succeeded',
      'start: succeeded',
      'wait until running: succeeded',
    ]);
    // the user's extra user-data never shows in the log
    expect(task.steps.map((s) => `${s.command ?? ''}${s.output ?? ''}`).join()).not.toContain('vd-pwned3');
    const uuid = task.target as string;
    const lab = getLab();
    expect(virsh(lab, 'domstate', '--domain', uuid)).toBe('running');
    expect(virsh(lab, 'domname', '--domain', uuid)).toBe(HOSTILE);
    const view = (await d.client.call('hosts.list', {})).find((h) => h.config.id === d.hostB);
    expect(view?.vms.find((v) => v.uuid === uuid)?.state).toBe('running');
    expect(virsh(lab, 'metadata', '--domain', uuid, '--uri', 'https://virtdeck.invalid/xmlns/deploy/1')).toMatch(
      new RegExp(`^<instance created-at="\\d+" host-id="${d.hostB}"/>$`),
    );
    const vols = pool.volumes();
    expect(vols).toHaveLength(3);
    // the seed is a real NoCloud ISO: volume id cidata, the files as written, the hostile text intact
    const iso = join(pool.dir, vols.find((v) => v.endsWith('-seed.iso')) ?? '');
    expect(execFileSync('isoinfo', ['-d', '-i', iso], { encoding: 'utf8' })).toMatch(/^Volume id: cidata$/m);
    const file = (f: string) => execFileSync('isoinfo', ['-R', '-i', iso, '-x', `/${f}`], { encoding: 'utf8' });
    expect(JSON.parse(file('meta-data'))).toEqual({
      'instance-id': uuid,
      'local-hostname': 'vd-deploy-a-b-c-touch-vd-pwned1-touch-vd-pwned2',
    });
    expect(file('user-data')).toContain(
      `Content-Type: text/x-shellscript; charset="utf-8"\nMIME-Version: 1.0\nContent-Transfer-Encoding: 8bit\n\n${HOSTILE_USERDATA}`,
    );
    expect(file('user-data')).toContain(
      '"ssh_authorized_keys": [\n        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ vd@test"',
    );
    expect(
      vols.filter((v) => v !== BASE).every((v) => v.startsWith('vd-deploy_a_b_c_touch_vd-pwned1_touch_vd-pwned2_')),
    ).toBe(true);
    expect(
      virsh(
        lab,
        'vol-dumpxml',
        '--pool',
        pool.name,
        '--vol',
        vols.find((v) => v.endsWith('.qcow2') && v !== BASE) ?? '',
      ),
    ).toContain(`<path>${join(pool.dir, BASE)}</path>`);

    const del = await d.client.call('vm.action', {
      hostId: d.hostB,
      vmUuid: uuid,
      action: 'delete',
      options: { removeStorage: true, confirmName: HOSTILE },
    });
    expect((await d.settle(del.id)).state).toBe('succeeded');
    expect(virshMaybe(lab, 'domstate', '--domain', uuid)).toBeNull();
    expect(pool.volumes()).toEqual([BASE]);
  }, 180_000);

  it('makes a full copy (grown to the size asked), or an empty disk with an installation ISO; autostart when asked', async () => {
    const lab = getLab();
    const copy = await d.client.call(
      'deploy.create',
      spec(
        'vd-deploy-copy',
        {},
        {
          source: { kind: 'copy', base: { pool: pool.name, volume: BASE } },
          diskMiB: 48,
          autostart: true,
          start: false,
        },
      ),
    );
    const copied = await d.settle(copy.id, 120_000);
    expect(stepsOf(copied)).toEqual([
      'check the host: succeeded',
      'copy the base volume: succeeded',
      'grow the disk: succeeded',
      'define the domain: succeeded',
      'set autostart: succeeded',
    ]);
    const uuid = copied.target as string;
    expect(virsh(lab, 'domstate', '--domain', uuid)).toBe('shut off');
    expect(virsh(lab, 'dominfo', '--domain', uuid)).toMatch(/Autostart:\s+enable/);
    const disk = pool.volumes().find((v) => v.startsWith('vd-deploy-copy-')) ?? '';
    expect(virsh(lab, 'vol-info', '--pool', pool.name, '--vol', disk, '--bytes')).toMatch(/Capacity:\s+50331648 bytes/);
    expect(virsh(lab, 'vol-dumpxml', '--pool', pool.name, '--vol', disk)).not.toContain('<backingStore>');

    // an "installation ISO": any small ISO volume in the pool
    virsh(lab, 'vol-create-as', '--pool', pool.name, '--name', 'install.iso', '--capacity', '1M', '--format', 'raw');
    const empty = await d.client.call(
      'deploy.create',
      spec('vd-deploy-iso', {}, { source: { kind: 'empty', iso: { pool: pool.name, volume: 'install.iso' } } }),
    );
    const installed = await d.settle(empty.id, 120_000);
    expect(installed.state).toBe('succeeded');
    const xml = virsh(lab, 'dumpxml', '--domain', installed.target as string);
    expect(xml).toMatch(/<boot dev='cdrom'\/>\s*<boot dev='hd'\/>/);
    expect(xml).toContain(`<source pool='${pool.name}' volume='install.iso'`);
    for (const t of [copied, installed]) {
      virshMaybe(lab, 'destroy', '--domain', t.target as string);
      virsh(lab, 'undefine', '--domain', t.target as string);
    }
    for (const v of pool.volumes().filter((x) => x !== BASE)) virsh(lab, 'vol-delete', '--pool', pool.name, '--vol', v);
  }, 240_000);

  it('fails at the check when the disk is larger than the pool has room for: no volume, no domain', async () => {
    const huge = 64 * 1024 * 1024; // 64 TiB
    const t = await d.client.call('deploy.create', spec('vd-deploy-huge', {}, { diskMiB: huge }));
    const done = await d.settle(t.id);
    expect(done.state).toBe('failed');
    expect(done.error).toMatch(
      /^step 'check the host' failed: this host cannot take the VM: disk: needs 64\.0 TiB in pool 'vd-deploy-a-\d+', .* free$/,
    );
    expect(stepsOf(done)).toEqual(['check the host: failed']);
    expect(pool.volumes()).toEqual([BASE]);
    expect(virshMaybe(getLab(), 'domstate', '--domain', 'vd-deploy-huge')).toBeNull();
    // automatic placement refuses up front, naming each host's reason
    await expect(
      d.client.call('deploy.create', spec('vd-deploy-huge', { placement: { mode: 'auto' } }, { diskMiB: huge })),
    ).rejects.toThrow(/no host can take this VM: lab-.*disk: needs 64\.0 TiB .* \| lab-.*disk: needs 64\.0 TiB/);
  });

  it('fails at the check when the name is taken on the host', async () => {
    const lab = getLab();
    const t = await d.client.call('deploy.create', spec(DUP));
    const done = await d.settle(t.id);
    expect(done.error).toBe(
      "step 'check the host' failed: this host cannot take the VM: a VM named 'vd-deploy-dup' already exists on this host",
    );
    expect(pool.volumes()).toEqual([BASE]);
    expect(virsh(lab, 'domuuid', '--domain', DUP)).toBe(dupUuid); // the other VM is untouched
  });

  it('rolls back when define is rejected (a VM of that name appeared meanwhile)', async () => {
    const lab = getLab();
    const name = 'vd-deploy-race';
    let other = '';
    const off = d.services.hub.subscribe((event, payload) => {
      const t = payload as Task;
      if (event !== 'task.updated' || t.targetName !== name || other) return;
      if (t.steps.some((s) => s.name === 'define the domain' && s.state === 'running')) other = defineDomain(lab, name);
    });
    try {
      const t = await d.client.call('deploy.create', spec(name));
      const done = await d.settle(t.id);
      expect(other).not.toBe('');
      expect(done.state).toBe('failed');
      expect(done.error).toMatch(
        /^step 'define the domain' failed: error: Failed to define domain from \/tmp\/tmp\.\w+: operation failed: domain 'vd-deploy-race' already exists with uuid [0-9a-f-]{36}; the completed steps were rolled back$/,
      );
      expect(stepsOf(done)).toEqual([
        'check the host: succeeded',
        'create the disk: succeeded',
        'define the domain: failed',
        'undo: create the disk: succeeded',
      ]);
      expect(done.steps[3]?.command).toMatch(
        /^virsh -c qemu:\/\/\/system vol-delete --pool vd-deploy-a-\d+ --vol vd-deploy-race-[0-9a-f]{8}\.qcow2$/,
      );
      expect(pool.volumes()).toEqual([BASE]);
      expect(virsh(lab, 'domuuid', '--domain', name)).toBe(other); // only the other one
    } finally {
      off();
    }
  });

  it('fails when the host becomes unreachable mid-task; the rollback that could not run is done later', async () => {
    const name = 'vd-deploy-lost';
    const off = d.services.hub.subscribe((event, payload) => {
      const t = payload as Task;
      if (event === 'task.updated' && t.targetName === name && t.steps.some((s) => s.name === 'define the domain')) {
        d.proxy.cut();
      }
    });
    let done: Task;
    try {
      const t = await d.client.call('deploy.create', spec(name, { placement: { mode: 'host', hostId: d.hostB } }));
      done = await d.settle(t.id);
    } finally {
      off();
    }
    expect(done.state).toBe('failed');
    expect(done.error).toMatch(/^step 'define the domain' failed: .+; rollback failed at create the disk: .+/);
    expect(stepsOf(done)).toEqual([
      'check the host: succeeded',
      'create the disk: succeeded',
      'define the domain: failed',
      'undo: create the disk: failed',
    ]);
    expect(done.canRollback).toBe(true);
    expect(pool.volumes()).toHaveLength(2); // the disk is still there, and the task says so
    await d.proxy.restore();
    const rolled = await d.client.call('tasks.rollback', { id: done.id });
    const after = await d.settle(rolled.id);
    expect(after.state).toBe('cancelled');
    expect(after.error).toMatch(/^rolled back at the user's request/);
    expect(after.steps.at(-1)).toMatchObject({ name: 'undo: create the disk', state: 'succeeded' });
    expect(pool.volumes()).toEqual([BASE]);
    expect(virshMaybe(getLab(), 'domstate', '--domain', name)).toBeNull();
  }, 120_000);
});
