// The metrics store as views watch it: every host cycle must reach a watcher of `byHost`
// (the fleet grid rebuilds its rows from it), not only the first load; the cycles that arrive
// within one frame are applied together (under Node, with no frames, on a timer).
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
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
  beforeEach(() => {
    setActivePinia(createPinia());
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it('tells watchers of byHost about every host cycle, including hosts that appear later', async () => {
    const { useMetricsStore } = await import('../../src/renderer/stores/metrics');
    const store = useMetricsStore();
    await store.load();
    const seen: string[] = [];
    watch(
      () => store.byHost,
      (m) => seen.push([...m.values()].map((s) => `${s.hostId}${s.ts}`).join(' ')),
      { flush: 'sync' },
    );
    const emit = handlers.get('metrics.updated');
    emit?.(snap('a', 1));
    emit?.(snap('b', 1));
    emit?.(snap('a', 2));
    expect(seen).toEqual([]); // not before the frame
    vi.runAllTimers();
    expect(seen).toEqual(['a2 b1']); // one new map with the newest of each host
    emit?.(snap('b', 2));
    vi.runAllTimers();
    expect(seen).toEqual(['a2 b1', 'a2 b2']);
    vi.runAllTimers();
    expect(seen).toHaveLength(2); // nothing arrived, nothing re-rendered
  });

  it('does not put a cycle that arrived before a full reload over the reload', async () => {
    const { useMetricsStore } = await import('../../src/renderer/stores/metrics');
    const store = useMetricsStore();
    await store.load();
    handlers.get('metrics.updated')?.(snap('a', 1));
    handlers.get('metrics.updated')?.(snap('gone', 1));
    latest.mockResolvedValueOnce([snap('a', 2)]);
    handlers.get('hosts.changed')?.({ ids: ['gone'] });
    await store.load();
    vi.runAllTimers();
    expect([...store.byHost.values()].map((s) => `${s.hostId}${s.ts}`)).toEqual(['a2']);
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
    vi.runAllTimers();
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
