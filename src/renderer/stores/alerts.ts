// Alerts: the active ones kept live from alert.changed events (and a periodic refresh for
// pending ones, which change without events), the history on demand, and the lifecycle actions.
import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import { api } from '../api';
import type { Alert, AlertEvent, Silence } from '../../shared/model/warn';

const REFRESH_MS = 10_000;

export const useAlertsStore = defineStore('alerts', () => {
  const active = shallowRef<Alert[]>([]);
  const history = shallowRef<Alert[]>([]);
  const silences = shallowRef<Silence[]>([]);
  const error = shallowRef<string | null>(null);
  const loaded = shallowRef(false);

  const firing = computed(() => active.value.filter((a) => a.state === 'firing'));
  const counts = computed(() => {
    const c = { critical: 0, warning: 0, info: 0 };
    for (const a of firing.value) c[a.severity]++;
    return c;
  });
  /** Firing and not acknowledged, silenced or in maintenance: what still needs someone. */
  const unhandled = computed(
    () => firing.value.filter((a) => !a.ack && a.silencedUntil === null && !a.maintenance).length,
  );

  async function load() {
    try {
      const [a, s] = await Promise.all([
        api.call('alerts.list', { state: 'active', limit: 5000 }),
        api.call('silences.list', {}),
      ]);
      active.value = a;
      silences.value = s;
      error.value = null;
    } catch (e) {
      error.value = (e as Error).message;
    } finally {
      loaded.value = true;
    }
  }

  async function loadHistory(hostId?: string) {
    history.value = await api.call('alerts.list', {
      state: 'resolved',
      limit: 1000,
      ...(hostId ? { hostId } : {}),
    });
  }

  function put(alert: Alert) {
    const rest = active.value.filter((a) => !(a.ruleId === alert.ruleId && a.target.id === alert.target.id));
    active.value = alert.state === 'resolved' ? rest : [alert, ...rest];
    if (alert.state === 'resolved') history.value = [alert, ...history.value.filter((a) => a.id !== alert.id)];
  }

  const ack = async (id: number, note: string) => put(await api.call('alerts.ack', { id, note }));
  const unack = async (id: number) => put(await api.call('alerts.unack', { id }));
  const events = (id: number): Promise<AlertEvent[]> => api.call('alerts.events', { id });

  async function silence(input: { ruleId?: string; targetId?: string; until: number; note: string }) {
    await api.call('silences.add', input);
    await load();
  }

  async function unsilence(id: number) {
    await api.call('silences.remove', { id });
    await load();
  }

  api.on('alert.changed', put);
  setInterval(() => void load(), REFRESH_MS);

  return {
    active,
    history,
    silences,
    error,
    loaded,
    firing,
    counts,
    unhandled,
    load,
    loadHistory,
    ack,
    unack,
    events,
    silence,
    unsilence,
  };
});
