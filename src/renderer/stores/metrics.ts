// The latest figures of every host and its VMs, replaced whole on each host cycle
// (shallow: no deep reactivity on big arrays; a new Map per update, never mutated in place).
import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import { api } from '../api';
import type { HostSnapshot } from '../../shared/model/metrics';
import { onNextFrame } from './frame-batch';

export const useMetricsStore = defineStore('metrics', () => {
  const byHost = shallowRef(new Map<string, HostSnapshot>());
  /** Host cycles arrived since the last frame, the newest per host. */
  const arrived = new Map<string, HostSnapshot>();
  let loading: Promise<void> | null = null;

  /**
   * A new Map per frame (200 entries to copy) with every host cycle that arrived in it: watchers
   * of `byHost` see every update, and a burst of cycles re-renders once.
   */
  function apply() {
    if (!arrived.size) return;
    const next = new Map(byHost.value);
    for (const [id, s] of arrived) next.set(id, s);
    arrived.clear();
    byHost.value = next;
  }

  function put(s: HostSnapshot) {
    arrived.set(s.hostId, s);
    onNextFrame(apply);
  }

  /**
   * Every host's latest snapshot, asked once: `metrics.updated` keeps them current after that.
   * The app shell calls it at start; asking again on every view's mount moved the whole fleet
   * (megabytes at 10,000 VMs) through the core and the page just as the user left the grid for a VM.
   */
  function load(): Promise<void> {
    loading ??= api.call('metrics.latest', {}).then(
      (all) => {
        // what arrived before this answer is in it (one ordered socket) or of a host now gone
        arrived.clear();
        byHost.value = new Map(all.map((s) => [s.hostId, s]));
      },
      (e: unknown) => {
        loading = null; // the next view to mount asks again
        throw e;
      },
    );
    return loading;
  }

  api.on('metrics.updated', put);
  // a host added or removed: its snapshot comes or goes with a fresh list
  api.on('hosts.changed', () => {
    loading = null;
    void load().catch(() => undefined);
  });
  return { byHost, load, put };
});
