// Groups of identical VMs: list (with instances), save a template as a group, scale to N.
import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import { api } from '../api';
import type { ParamsIn } from '../../shared/contract/api';
import type { GroupView, ScaleResult, VmGroup } from '../../shared/model/deploy';

export const useGroupsStore = defineStore('groups', () => {
  const groups = shallowRef<GroupView[]>([]);
  const loaded = shallowRef(false);
  const error = shallowRef<string | null>(null);

  async function load() {
    try {
      groups.value = await api.call('groups.list', {});
      error.value = null;
    } catch (e) {
      error.value = (e as Error).message;
    } finally {
      loaded.value = true;
    }
  }

  async function save(params: ParamsIn<'groups.save'>): Promise<VmGroup> {
    const g = await api.call('groups.save', params);
    await load();
    return g;
  }

  async function scale(id: string, count: number): Promise<ScaleResult> {
    const r = await api.call('groups.scale', { id, count });
    await load();
    return r;
  }

  /** Deletes a group; its instances too (one delete task each) when it still has some. */
  async function remove(id: string, removeInstances: boolean) {
    const r = await api.call('groups.delete', { id, removeInstances });
    await load();
    return r;
  }

  api.on('groups.changed', () => void load());
  // an instance created or deleted: the list changes when its task ends
  api.on('task.updated', (task) => {
    const ended = task.state !== 'queued' && task.state !== 'running';
    if (loaded.value && ended && (task.kind.startsWith('deploy.') || task.kind === 'vm.delete')) void load();
  });
  return { groups, loaded, error, load, save, scale, remove };
});
