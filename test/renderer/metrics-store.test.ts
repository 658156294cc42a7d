// The metrics store as views watch it: every host cycle must reach a watcher of `byHost`
// (the fleet grid rebuilds its rows from it), not only the first load.
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { watch } from 'vue';
import type { HostSnapshot } from '../../src/shared/model/metrics';

const handlers = new Map<string, (payload: unknown) => void>();
const latest = vi.fn((): Promise<HostSnapshot[]> => Promise.resolve([]));
vi.mock('../../src/renderer/api', () => ({
  api: {
    on: (event: string, fn: (payload: unknown) => void) => handlers.set(event, fn),
    call: () => latest(),
  },
}));

const snap = (hostId: string, ts: number): HostSnapshot => ({
  hostId,
  ts,
  host: null,
  vms: [],
  warnings: [],
  cycleMs: 1,
});

describe('metrics store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('tells watchers of byHost about every host cycle, including hosts that appear later', async () => {
    const { useMetricsStore } = await import('../../src/renderer/stores/metrics');
    const store = useMetricsStore();
    await store.load();
    const seen: number[] = [];
    watch(
      () => store.byHost,
      (m) => seen.push(m.size),
      { flush: 'sync' },
    );
    const emit = handlers.get('metrics.updated');
    emit?.(snap('a', 1));
    emit?.(snap('b', 1));
    emit?.(snap('a', 2));
    expect(seen).toEqual([1, 2, 2]);
    expect(store.byHost.get('a')?.ts).toBe(2);
  });

  it('asks the core for the whole fleet once, and again only when hosts come or go', async () => {
    const { useMetricsStore } = await import('../../src/renderer/stores/metrics');
    const store = useMetricsStore();
    latest.mockClear();
    latest.mockResolvedValueOnce([snap('a', 1), snap('b', 1)]);
    await Promise.all([store.load(), store.load()]);
    await store.load(); // a view mounting again
    expect(latest).toHaveBeenCalledTimes(1);
    expect([...store.byHost.keys()]).toEqual(['a', 'b']);

    handlers.get('metrics.updated')?.(snap('a', 2));
    expect(store.byHost.get('a')?.ts).toBe(2);

    latest.mockResolvedValueOnce([snap('a', 3)]); // b was removed
    handlers.get('hosts.changed')?.({ ids: ['b'] });
    await store.load();
    expect(latest).toHaveBeenCalledTimes(2);
    expect([...store.byHost.keys()]).toEqual(['a']);
  });

  it('asks again after a failed load', async () => {
    const { useMetricsStore } = await import('../../src/renderer/stores/metrics');
    const store = useMetricsStore();
    latest.mockClear();
    latest.mockRejectedValueOnce(new Error('core busy'));
    await expect(store.load()).rejects.toThrow('core busy');
    latest.mockResolvedValueOnce([snap('a', 1)]);
    await store.load();
    expect(latest).toHaveBeenCalledTimes(2);
    expect(store.byHost.size).toBe(1);
  });
});
