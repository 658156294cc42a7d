// Maintenance windows per host and "should run" marks per VM: the warn engine's expectations.
import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import { api } from '../api';
import type { MaintenanceWindow } from '../../shared/model/warn';

export const useMaintenanceStore = defineStore('maintenance', () => {
  const windows = shallowRef<MaintenanceWindow[]>([]);
  const shouldRun = shallowRef(new Set<string>());

  async function load() {
    const [w, s] = await Promise.all([api.call('maintenance.list', {}), api.call('vms.shouldRunList', {})]);
    windows.value = w;
    shouldRun.value = new Set(s);
  }

  /** The window in force for a host now, if any. */
  function forHost(hostId: string, now = Date.now()): MaintenanceWindow | null {
    return windows.value.find((w) => w.hostId === hostId && w.from <= now && now < w.until) ?? null;
  }

  async function start(hostId: string, hours: number, note = '') {
    await api.call('maintenance.add', { hostId, until: Date.now() + hours * 3_600_000, note });
    await load();
  }

  async function end(id: number) {
    await api.call('maintenance.remove', { id });
    await load();
  }

  async function setShouldRun(hostId: string, uuid: string, on: boolean) {
    await api.call('vms.setShouldRun', { hostId, uuid, shouldRun: on });
    await load();
  }

  return { windows, shouldRun, load, forHost, start, end, setShouldRun };
});
