// Lifecycle requests are validated at the contract: unknown actions and a delete without the
// typed VM name are refused with the field named; the user action log remembers recent actions.
import { describe, expect, it } from 'vitest';
import { api } from '../../../../src/shared/contract/api';
import { MemoryUserActionLog } from '../../../../src/main/tasks/user-action-log';
import { virshArgv } from '../../../../src/main/tasks/vm-lifecycle';

const uuid = '6f1e2b7c-0a4d-4c8e-9f00-1234567890ab';
const fields = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  (r.error?.issues ?? []).map((i) => `${i.path.map(String).join('.')}: ${i.message}`);

describe('vm.action params', () => {
  it('accepts an action with default options', () => {
    const r = api['vm.action'].params.safeParse({ hostId: 'h', vmUuid: uuid, action: 'start' });
    expect(r.success && r.data.options).toEqual({});
  });
  it('names the field of an unknown action', () => {
    const r = api['vm.action'].params.safeParse({ hostId: 'h', vmUuid: uuid, action: 'explode' });
    expect(fields(r)).toEqual([
      'action: action must be one of start, shutdown, reboot, forceOff, suspend, resume, autostartOn, autostartOff, delete',
    ]);
  });
  it('refuses delete without options.confirmName, and delete in bulk', () => {
    const r = api['vm.action'].params.safeParse({ hostId: 'h', vmUuid: uuid, action: 'delete' });
    expect(fields(r)).toEqual(["options.confirmName: options.confirmName is required to delete: type the VM's name"]);
    const bulk = api['vm.bulkAction'].params.safeParse({ targets: [{ hostId: 'h', vmUuid: uuid }], action: 'delete' });
    expect(fields(bulk)[0]).toMatch(/^action: action delete is not available in bulk/);
  });
  it('refuses a VM given by name instead of UUID', () => {
    const r = api['vm.action'].params.safeParse({ hostId: 'h', vmUuid: 'web-1', action: 'start' });
    expect(fields(r)).toEqual(['vmUuid: vmUuid must be a libvirt UUID']);
  });
});

describe('lifecycle argv', () => {
  it('always passes -c and addresses the VM by UUID', () => {
    expect(virshArgv('qemu+ssh://x/system', 'undefine', uuid, '--remove-all-storage')).toEqual([
      'virsh',
      '-c',
      'qemu+ssh://x/system',
      'undefine',
      '--domain',
      uuid,
      '--remove-all-storage',
    ]);
  });
});

describe('user action log', () => {
  it('keeps the latest action per VM within its window', () => {
    let now = 1000;
    const log = new MemoryUserActionLog(60_000, () => now);
    log.recordUserAction('h', uuid, 'suspend', 1000);
    log.recordUserAction('h', uuid, 'shutdown', 2000);
    expect(log.recentAction('h', uuid)).toEqual({ action: 'shutdown', at: 2000 });
    expect(log.recentAction('other', uuid)).toBeNull();
    now = 70_000;
    expect(log.recentAction('h', uuid)).toBeNull();
  });
});
