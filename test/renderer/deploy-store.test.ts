// The wizard's and groups' stores against a recording fake of the api module (the transport):
// what they ask the core, which host the wizard targets, and when Groups reloads.
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const calls: { method: string; params: unknown }[] = [];
const handlers = new Map<string, (payload: unknown) => void>();
let answer: (method: string) => unknown = () => [];
vi.mock('../../src/renderer/api', () => ({
  api: {
    on: (event: string, fn: (payload: unknown) => void) => handlers.set(event, fn),
    call: (method: string, params: unknown) => {
      calls.push({ method, params });
      try {
        return Promise.resolve(answer(method));
      } catch (e) {
        return Promise.reject(e as Error);
      }
    },
  },
}));

const hostOpt = (hostId: string) => ({ hostId, hostName: hostId, ok: true, volumes: [], pools: [] });

describe('deploy store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    calls.length = 0;
    answer = () => [];
  });

  it('targets the chosen host, or the one automatic placement ranked first', async () => {
    const { useDeployStore } = await import('../../src/renderer/stores/deploy');
    const store = useDeployStore();
    answer = (m) => (m === 'deploy.hostOptions' ? [hostOpt('a'), hostOpt('b')] : { chosenHostId: 'b', candidates: [] });
    await store.loadOptions();
    store.draft.hostId = 'a';
    expect(store.targetHost?.hostId).toBe('a');
    store.draft.placementMode = 'auto';
    expect(store.targetHost).toBeNull(); // not ranked yet
    await store.rank();
    expect(store.targetHost?.hostId).toBe('b');
  });

  it('asks placement with the draft’s size, pool and base, and the name only when it is valid', async () => {
    const { useDeployStore } = await import('../../src/renderer/stores/deploy');
    const store = useDeployStore();
    Object.assign(store.draft, {
      name: '12',
      vcpus: 2,
      memoryMiB: 512,
      diskMiB: 16,
      pool: 'p',
      strategy: 'leastLoaded',
    });
    store.draft.base = { pool: 'p', volume: 'base.qcow2' };
    await store.rank();
    expect(calls.at(-1)).toEqual({
      method: 'deploy.placement',
      params: {
        policy: { strategy: 'leastLoaded' },
        vcpus: 2,
        memoryMiB: 512,
        diskMiB: 16,
        pool: 'p',
        base: { pool: 'p', volume: 'base.qcow2' },
      },
    });
    Object.assign(store.draft, { name: 'web-1', sourceKind: 'empty' });
    await store.rank();
    expect(calls.at(-1)?.params).toMatchObject({ name: 'web-1' });
    expect(calls.at(-1)?.params).not.toHaveProperty('base');
  });

  it('keeps the core’s refusal as the error to show', async () => {
    const { useDeployStore } = await import('../../src/renderer/stores/deploy');
    const store = useDeployStore();
    answer = () => {
      throw new Error('host lab did not answer');
    };
    await store.loadOptions();
    expect(store.optionsLoaded).toBe(true);
    expect(store.optionsError).toBe('host lab did not answer');
    await store.loadPreview();
    expect(store.preview).toBeNull();
    expect(store.previewError).toBe('host lab did not answer');
  });
});

describe('groups store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    calls.length = 0;
    answer = () => [];
  });

  it('reloads when a create or delete task ends, not on every step or other tasks', async () => {
    const { useGroupsStore } = await import('../../src/renderer/stores/groups');
    useGroupsStore();
    const updated = handlers.get('task.updated');
    updated?.({ kind: 'deploy.create', state: 'succeeded' }); // not loaded yet: nothing
    expect(calls).toHaveLength(0);
    await useGroupsStore().load();
    calls.length = 0;
    updated?.({ kind: 'deploy.create', state: 'running' });
    updated?.({ kind: 'vm.start', state: 'succeeded' });
    expect(calls).toHaveLength(0);
    updated?.({ kind: 'deploy.create', state: 'succeeded' });
    updated?.({ kind: 'vm.delete', state: 'failed' });
    expect(calls.map((c) => c.method)).toEqual(['groups.list', 'groups.list']);
  });

  it('scales through the contract and lists again', async () => {
    const { useGroupsStore } = await import('../../src/renderer/stores/groups');
    answer = (m) => (m === 'groups.scale' ? { created: 2, removed: 0, tasks: [], problems: [] } : []);
    const r = await useGroupsStore().scale('g1', 2);
    expect(r.created).toBe(2);
    expect(calls.map((c) => c.method)).toEqual(['groups.scale', 'groups.list']);
    expect(calls[0]?.params).toEqual({ id: 'g1', count: 2 });
  });
});
