// Tasks with their step logs, kept live from the core's task.updated events; VM lifecycle
// actions are started from here.
import { defineStore } from 'pinia';
import { computed, shallowRef, triggerRef } from 'vue';
import { api } from '../api';
import type { ParamsIn } from '../../shared/contract/api';
import type { Task, TaskState } from '../../shared/model/task';

/** Tasks kept in memory at most (the list shows the newest; older ones stay in the database). */
const KEEP = 500;

export const useTasksStore = defineStore('tasks', () => {
  // shallow: a Task is replaced whole on every update, never mutated in place
  const byId = shallowRef(new Map<number, Task>());
  const loaded = shallowRef(false);
  const error = shallowRef<string | null>(null);

  const tasks = computed(() => [...byId.value.values()].sort((a, b) => b.id - a.id));
  const active = computed(() => tasks.value.filter((t) => t.state === 'queued' || t.state === 'running').length);

  function put(task: Task) {
    byId.value.set(task.id, task);
    if (byId.value.size > KEEP) {
      const oldest = Math.min(...byId.value.keys());
      byId.value.delete(oldest);
    }
    triggerRef(byId);
  }

  async function load(state?: TaskState) {
    try {
      const list = await api.call('tasks.list', state ? { state, limit: 200 } : { limit: 200 });
      byId.value = new Map(list.map((t) => [t.id, t]));
      error.value = null;
    } catch (e) {
      error.value = (e as Error).message;
    } finally {
      loaded.value = true;
    }
  }

  async function cancel(id: number) {
    put(await api.call('tasks.cancel', { id }));
  }

  async function retry(id: number) {
    const t = await api.call('tasks.retry', { id });
    put(t);
    return t;
  }

  async function rollback(id: number) {
    put(await api.call('tasks.rollback', { id }));
  }

  async function vmAction(params: ParamsIn<'vm.action'>) {
    const t = await api.call('vm.action', params);
    put(t);
    return t;
  }

  api.on('task.updated', put);

  return { tasks, active, loaded, error, load, cancel, retry, rollback, vmAction };
});
