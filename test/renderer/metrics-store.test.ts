// The metrics store as views watch it: every host cycle must reach a watcher of `byHost`
// (the fleet grid rebuilds its rows from it), not only the first load.
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { watch } from 'vue';
import type { HostSnapshot } from '../../src/shared/model/metrics';

const handlers = new Map<string, (payload: unknown) => void>();
vi.mock('../../src/renderer/api', () => ({
  api: {
    on: (event: string, fn: (payload: unknown) => void) => handlers.set(event, fn),
    call: () => Promise.resolve([]),
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
});
