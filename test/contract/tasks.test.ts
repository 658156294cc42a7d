// The task methods and the task.updated event over every transport, against the real services:
// a lifecycle task on an unreachable host fails with the reason in its step log, events arrive
// whole (structured-clone safe), and misuse is refused with a code and the field named.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Task } from '../../src/shared/model/task';
import { connect } from '../helpers/transports';
import { rejection } from '../helpers/rejection';
import { freePort as closedPort } from '../helpers/sshd';
import type { Harness, TransportName } from '../helpers/transports';

const UUID = '6f1e2b7c-0a4d-4c8e-9f00-1234567890ab';

describe.each<TransportName>(['memory', 'ipc', 'websocket'])('tasks over %s', (kind) => {
  let h: Harness;
  beforeEach(async () => {
    h = await connect(kind);
  });
  afterEach(async () => {
    await h.close();
  });

  it('starts with no tasks, and says which task does not exist', async () => {
    expect(await h.client.call('tasks.list', {})).toEqual([]);
    expect((await rejection(h.client.call('tasks.get', { id: 42 }))).code).toBe('not_found');
  });

  it('runs a lifecycle task on an unreachable host: failed, with the reason in its step, events live', async () => {
    const port = await closedPort();
    const host = await h.client.call('hosts.add', { address: '127.0.0.1', port, user: 'root' });
    const events: Task[] = [];
    h.client.on('task.updated', (t) => events.push(t));
    const task = await h.client.call('vm.action', { hostId: host.config.id, vmUuid: UUID, action: 'start' });
    expect(task).toMatchObject({ kind: 'vm.start', hostId: host.config.id, target: UUID });
    expect(['queued', 'running']).toContain(task.state); // a free host starts it at once
    for (let i = 0; i < 100 && events.at(-1)?.state !== 'failed'; i++) await new Promise((r) => setTimeout(r, 50));
    const last = events.at(-1);
    expect(last?.state).toBe('failed');
    expect(last?.steps[0]).toMatchObject({ name: 'start', state: 'failed', isUndo: false });
    expect(last?.steps[0]?.command).toBe(`virsh -c qemu:///system start --domain ${UUID}`);
    expect(last?.steps[0]?.error).toMatch(/connection refused/);
    expect(last?.canRollback).toBe(false); // its only step failed: nothing was done
    expect(await h.client.call('tasks.get', { id: task.id })).toEqual(last);
    expect(await h.client.call('tasks.list', { state: 'failed', hostId: host.config.id })).toEqual([last]);

    const cancel = await rejection(h.client.call('tasks.cancel', { id: task.id }));
    expect(cancel.code).toBe('conflict');
    expect((await rejection(h.client.call('tasks.rollback', { id: task.id }))).message).toMatch(/nothing|no completed/);
    const retry = await h.client.call('tasks.retry', { id: task.id });
    expect(retry.id).not.toBe(task.id);
    expect(retry.params.retryOf).toBe(task.id);
  });

  it('refuses bad requests naming the field', async () => {
    const fields = async (p: Promise<unknown>) => {
      const e = await rejection(p);
      expect(e.code).toBe('invalid_params');
      return (e.details as { fields: { field: string }[] }).fields.map((f) => f.field);
    };
    const call = (m: 'vm.action' | 'tasks.list', params: unknown) => h.client.call(m, params as never);
    expect(await fields(call('vm.action', { hostId: 'h', vmUuid: UUID, action: 'explode' }))).toEqual(['action']);
    expect(await fields(call('vm.action', { hostId: 'h', vmUuid: UUID, action: 'delete' }))).toEqual([
      'options.confirmName',
    ]);
    expect(await fields(call('tasks.list', { state: 'sleeping' }))).toEqual(['state']);
    const missing = await rejection(h.client.call('vm.action', { hostId: 'nope', vmUuid: UUID, action: 'start' }));
    expect(missing.code).toBe('not_found');
  });
});
