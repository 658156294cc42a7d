// VM lifecycle tasks through the contract against the real lab (sshd + libvirtd + QEMU TCG), on
// domains this test defines itself (the lab's lab-vm01..03 are never touched): the state libvirt
// reports afterwards, the step log, shutdown's timeout → force path, delete with storage, a
// hostile name, bulk actions, and bad input refused with the field named.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RpcError } from '../../src/shared/contract/errors';
import type { VmAction, VmActionOptions } from '../../src/shared/model/task';
import { describeWithLab } from '../helpers/lab';
import { defineDomain, removeDomain, startTaskLab, virsh, virshMaybe } from '../helpers/task-lab';
import type { TaskLab } from '../helpers/task-lab';
import { tempDir } from '../helpers/temp';

const PLAIN = 'vdtask-1';
const HOSTILE = 'vd task "q" $(x) `y` 测试';
const SNAP = 'vdtask-snap';
const POOL = 'vdtask-pool';

describeWithLab('VM lifecycle tasks against the lab', (getLab) => {
  let t: TaskLab;
  let plain = '';
  let hostile = '';
  let snap = '';
  let volume = '';
  const cmd = (action: string, uuid: string) => `virsh -c qemu:///system ${action} --domain ${uuid}`;

  const act = async (action: VmAction, uuid: string, options: VmActionOptions = {}) => {
    const task = await t.client.call('vm.action', { hostId: t.hostId, vmUuid: uuid, action, options });
    return t.settle(task.id);
  };
  const state = (uuid: string) => virsh(getLab(), 'domstate', '--domain', uuid);

  beforeAll(async () => {
    const lab = getLab();
    // leftovers of an earlier, killed run
    for (const name of [PLAIN, HOSTILE, SNAP]) {
      const uuid = virshMaybe(lab, 'domuuid', '--domain', name);
      if (uuid) removeDomain(lab, uuid);
    }
    if (virshMaybe(lab, 'pool-info', '--pool', POOL) !== null) virshMaybe(lab, 'pool-destroy', '--pool', POOL);
    const poolDir = join(tempDir('vdtask-pool'), 'pool');
    mkdirSync(poolDir);
    virsh(lab, 'pool-create-as', '--name', POOL, '--type', 'dir', '--target', poolDir); // transient
    virsh(lab, 'vol-create-as', '--pool', POOL, '--name', 'hostile.qcow2', '--capacity', '16M', '--format', 'qcow2');
    volume = virsh(lab, 'vol-path', '--pool', POOL, '--vol', 'hostile.qcow2');
    virsh(lab, 'vol-create-as', '--pool', POOL, '--name', 'snap.qcow2', '--capacity', '16M', '--format', 'qcow2');
    plain = defineDomain(lab, PLAIN);
    snap = defineDomain(lab, SNAP, virsh(lab, 'vol-path', '--pool', POOL, '--vol', 'snap.qcow2'));
    hostile = defineDomain(lab, HOSTILE, volume);
    t = await startTaskLab(lab);
    const view = await t.client.call('hosts.refresh', { id: t.hostId });
    expect(view.status, view.reason ?? '').toBe('ok');
  });

  afterAll(async () => {
    const lab = getLab();
    await t?.close();
    for (const uuid of [plain, hostile, snap]) if (uuid) removeDomain(lab, uuid);
    virshMaybe(lab, 'pool-destroy', '--pool', POOL);
  });

  it('starts a VM: one step with the exact command, exit status 0, libvirt says running', async () => {
    const done = await act('start', plain);
    expect(done.state, done.error ?? '').toBe('succeeded');
    expect(done.kind).toBe('vm.start');
    expect(done.targetName).toBe(PLAIN);
    expect(done.steps).toHaveLength(1);
    expect(done.steps[0]).toMatchObject({ name: 'start', command: cmd('start', plain), exitCode: 0, isUndo: false });
    expect(done.steps[0]?.startedAt).toBeLessThanOrEqual(done.steps[0]?.endedAt ?? 0);
    expect(state(plain)).toBe('running');
    // the UI sees it live: queued, running, step started, step ended, succeeded
    const seen = t.events.filter((e) => e.id === done.id).map((e) => e.state);
    expect(seen[0]).toBe('queued');
    expect(seen).toContain('running');
  });

  it('fails with virsh’s own error and exit status when the action is not possible', async () => {
    const done = await act('start', plain); // already running
    expect(done.state).toBe('failed');
    expect(done.steps[0]?.exitCode).toBe(1);
    expect(done.steps[0]?.error).toMatch(/already (running|active)/);
    expect(done.error).toMatch(/^step 'start' failed: error: .*already/);
  });

  it('suspends and resumes, and remembers that the user paused it (for the warn engine)', async () => {
    const s = await act('suspend', plain);
    expect(s.state, s.error ?? '').toBe('succeeded');
    expect(state(plain)).toBe('paused');
    expect(t.services.userActions.recentAction(t.hostId, plain)?.action).toBe('suspend');
    const r = await act('resume', plain);
    expect(r.state, r.error ?? '').toBe('succeeded');
    expect(r.steps[0]?.command).toBe(cmd('resume', plain));
    expect(state(plain)).toBe('running');
  });

  it('shutdown of a guest that ignores ACPI: fails after the timeout offering force off', async () => {
    const done = await act('shutdown', plain, { timeoutSec: 2 });
    expect(done.state).toBe('failed');
    expect(done.error).toMatch(/did not shut down within 2 s.*Force off.*forceAfterTimeout/);
    expect(done.steps.map((s) => s.name)).toEqual(['ask the guest to shut down', 'wait until shut off']);
    expect(done.steps[1]?.command).toBe(cmd('domstate', plain));
    expect(done.steps[1]?.output).toMatch(/still running after 2 s/);
    expect(state(plain)).toBe('running');
  });

  it('shutdown with forceAfterTimeout: waits, then forces off, logged as its own step', async () => {
    const done = await act('shutdown', plain, { timeoutSec: 2, forceAfterTimeout: true });
    expect(done.state, done.error ?? '').toBe('succeeded');
    expect(done.steps.map((s) => [s.name, s.state])).toEqual([
      ['ask the guest to shut down', 'succeeded'],
      ['wait until shut off', 'succeeded'],
      ['force off after the timeout', 'succeeded'],
    ]);
    expect(done.steps[2]?.command).toBe(cmd('destroy', plain));
    expect(state(plain)).toBe('shut off');
    expect(t.services.userActions.recentAction(t.hostId, plain)?.action).toBe('shutdown');
  });

  it('reboots and forces off', async () => {
    expect((await act('start', plain)).state).toBe('succeeded');
    const reboot = await act('reboot', plain);
    // QEMU without a guest agent may refuse a reboot request; either way it is logged with its reason
    if (reboot.state === 'failed') expect(reboot.steps[0]?.error).toMatch(/^error:/);
    else expect(reboot.steps[0]?.command).toBe(cmd('reboot', plain));
    const off = await act('forceOff', plain);
    expect(off.state, off.error ?? '').toBe('succeeded');
    expect(off.steps[0]?.command).toBe(cmd('destroy', plain));
    expect(state(plain)).toBe('shut off');
  });

  it('turns autostart on and off', async () => {
    const autostart = () => /Autostart:\s+(\w+)/.exec(virsh(getLab(), 'dominfo', '--domain', plain))?.[1];
    expect((await act('autostartOn', plain)).state).toBe('succeeded');
    expect(autostart()).toBe('enable');
    const off = await act('autostartOff', plain);
    expect(off.state).toBe('succeeded');
    expect(off.steps[0]?.command).toBe(`${cmd('autostart', plain)} --disable`);
    expect(autostart()).toBe('disable');
  });

  it('bulk: one task per VM across the selection, with a summary', async () => {
    const r = await t.client.call('vm.bulkAction', {
      targets: [
        { hostId: t.hostId, vmUuid: plain },
        { hostId: t.hostId, vmUuid: hostile },
        { hostId: 'no-such-host', vmUuid: plain },
      ],
      action: 'start',
    });
    expect(r.summary).toEqual({ requested: 3, queued: 2, rejected: 1 });
    expect(r.rejected[0]?.error).toMatch(/no host with id 'no-such-host'/);
    const done = await Promise.all(r.tasks.map((x) => t.settle(x.id)));
    expect(done.map((d) => d.state)).toEqual(['succeeded', 'succeeded']);
    expect([state(plain), state(hostile)]).toEqual(['running', 'running']);
    await t.client.call('hosts.refresh', { id: t.hostId });
    const off = await t.client.call('vm.bulkAction', {
      targets: [
        { hostId: t.hostId, vmUuid: plain },
        { hostId: t.hostId, vmUuid: hostile },
      ],
      action: 'forceOff',
    });
    const offDone = await Promise.all(off.tasks.map((x) => t.settle(x.id)));
    expect(offDone.map((d) => d.state)).toEqual(['succeeded', 'succeeded']);
    // the hostile name came back from the host byte for byte
    expect(offDone[1]?.targetName).toBe(HOSTILE);
    expect(state(hostile)).toBe('shut off');
  });

  it('refuses bad input naming the field: unknown action, delete without or with a wrong name', async () => {
    const fieldsOf = async (params: unknown) => {
      // raw params, as a client that bypasses the types would send them
      const e = await t.client.call('vm.action', params as never).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(RpcError);
      expect((e as RpcError).code).toBe('invalid_params');
      return ((e as RpcError).details as { fields: { field: string }[] }).fields.map((f) => f.field);
    };
    expect(await fieldsOf({ hostId: t.hostId, vmUuid: plain, action: 'explode' })).toEqual(['action']);
    expect(await fieldsOf({ hostId: t.hostId, vmUuid: plain, action: 'delete' })).toEqual(['options.confirmName']);
    // what a shell would have made of the name: refused, nothing deleted
    const expanded = 'vd task "q"  测试';
    const wrong = { hostId: t.hostId, vmUuid: hostile, action: 'delete', options: { confirmName: expanded } };
    expect(await fieldsOf(wrong)).toEqual(['options.confirmName']);
    expect(state(hostile)).toBe('shut off');
  });

  it('deletes the hostile-named VM with its storage once its exact name is typed', async () => {
    expect((await act('start', hostile)).state).toBe('succeeded');
    expect(existsSync(volume)).toBe(true);
    const done = await act('delete', hostile, { confirmName: HOSTILE, removeStorage: true });
    expect(done.state, done.error ?? '').toBe('succeeded');
    expect(done.steps.map((s) => s.name)).toEqual([
      'check the state',
      'force off before deleting',
      'undefine and remove its storage',
    ]);
    expect(done.steps[2]?.command).toBe(`${cmd('undefine', hostile)} --remove-all-storage`);
    expect(virshMaybe(getLab(), 'dominfo', '--domain', hostile)).toBeNull();
    expect(existsSync(volume)).toBe(false);
    hostile = '';
  });

  it('rolls back for real: a delete whose undefine libvirt refuses starts the VM again', async () => {
    const lab = getLab();
    virsh(lab, 'snapshot-create-as', '--domain', snap, '--name', 's1'); // libvirt will not undefine it now
    virsh(lab, 'start', '--domain', snap);
    const done = await act('delete', snap, { confirmName: SNAP });
    expect(done.state).toBe('failed');
    expect(done.steps.map((s) => [s.name, s.state, s.isUndo])).toEqual([
      ['check the state', 'succeeded', false],
      ['force off before deleting', 'succeeded', false],
      ['undefine', 'failed', false],
      ['undo: force off before deleting', 'succeeded', true],
    ]);
    expect(done.steps[2]?.error).toMatch(/snapshots/);
    expect(done.steps[3]?.command).toBe(cmd('start', snap));
    expect(done.error).toMatch(/^step 'undefine' failed: .*snapshots; the completed steps were rolled back$/);
    expect(done.canRollback).toBe(false);
    expect(state(snap)).toBe('running');
  });

  it('deletes a shut-off VM without its storage, and lists the tasks by host and state', async () => {
    const done = await act('delete', plain, { confirmName: PLAIN });
    expect(done.state, done.error ?? '').toBe('succeeded');
    expect(done.steps.map((s) => s.name)).toEqual(['check the state', 'undefine']);
    expect(virshMaybe(getLab(), 'dominfo', '--domain', plain)).toBeNull();
    plain = '';
    const failed = await t.client.call('tasks.list', { state: 'failed', hostId: t.hostId });
    expect(failed.length).toBeGreaterThanOrEqual(2);
    expect(failed.every((x) => x.state === 'failed')).toBe(true);
    const all = await t.client.call('tasks.list', { limit: 3 });
    expect(all.map((x) => x.id)).toEqual([...all.map((x) => x.id)].sort((a, b) => b - a));
    expect(all[0]?.id).toBe(done.id);
  });
});
