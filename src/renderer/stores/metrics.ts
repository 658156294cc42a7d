// The latest figures of every host and its VMs, replaced whole on each host cycle
// (shallow: no deep reactivity on big arrays).
import { defineStore } from 'pinia';
import { shallowRef, triggerRef } from 'vue';
import { api } from '../api';
import type { HostSnapshot } from '../../shared/model/metrics';

export const useMetricsStore = defineStore('metrics', () => {
  const byHost = shallowRef(new Map<string, HostSnapshot>());

  function put(s: HostSnapshot) {
    byHost.value.set(s.hostId, s);
    triggerRef(byHost);
  }

  async function load() {
    const all = await api.call('metrics.latest', {});
    byHost.value = new Map(all.map((s) => [s.hostId, s]));
  }

  api.on('metrics.updated', put);
  return { byHost, load, put };
});
