// The latest figures of every host and its VMs, replaced whole on each host cycle
// (shallow: no deep reactivity on big arrays; a new Map per update, never mutated in place).
import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import { api } from '../api';
import type { HostSnapshot } from '../../shared/model/metrics';

export const useMetricsStore = defineStore('metrics', () => {
  const byHost = shallowRef(new Map<string, HostSnapshot>());

  /** A new Map per cycle (200 entries to copy): watchers of `byHost` see every update. */
  function put(s: HostSnapshot) {
    const next = new Map(byHost.value);
    next.set(s.hostId, s);
    byHost.value = next;
  }

  async function load() {
    const all = await api.call('metrics.latest', {});
    byHost.value = new Map(all.map((s) => [s.hostId, s]));
  }

  api.on('metrics.updated', put);
  return { byHost, load, put };
});
