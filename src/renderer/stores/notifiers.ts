// Notifiers: settings, live delivery status, "send test", the session's SMTP password.
import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import { api } from '../api';
import type { NotifierView } from '../../shared/contract/api-warn';
import type { NotifierInput } from '../../shared/contract/warn-schemas';

export const useNotifiersStore = defineStore('notifiers', () => {
  const list = shallowRef<NotifierView[]>([]);
  const error = shallowRef<string | null>(null);

  async function load() {
    try {
      list.value = await api.call('notifiers.list', {});
      error.value = null;
    } catch (e) {
      error.value = (e as Error).message;
    }
  }

  async function save(n: NotifierInput) {
    await api.call('notifiers.save', n);
    await load();
  }

  async function remove(id: string) {
    await api.call('notifiers.remove', { id });
    await load();
  }

  const test = (id: string) => api.call('notifiers.test', { id });

  async function setSecret(id: string, password: string) {
    await api.call('notifiers.setSecret', { id, password });
    await load();
  }

  api.on('notifier.statusChanged', (s) => {
    list.value = list.value.map((n) => (n.config.id === s.id ? { ...n, status: s } : n));
  });

  return { list, error, load, save, remove, test, setSecret };
});
