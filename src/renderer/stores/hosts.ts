// Hosts and their VMs, kept live from the core's host.updated events.
import { defineStore } from 'pinia';
import { computed, shallowRef, triggerRef } from 'vue';
import { api } from '../api';
import type { HostInput } from '../../shared/contract/api';
import type { HostView } from '../../shared/model/host';
import { onNextFrame } from './frame-batch';

export const useHostsStore = defineStore('hosts', () => {
  // shallow: a HostView is replaced whole on every update, never mutated in place
  const byId = shallowRef(new Map<string, HostView>());
  const loaded = shallowRef(false);
  const error = shallowRef<string | null>(null);

  /**
   * host.updated (one per host cycle) since the last frame, applied with the frame's other live
   * updates (frame-batch.ts). An answer to a call is newer than what arrived before it (one
   * ordered channel), so it replaces the queued view of its host.
   */
  const arrived = new Map<string, HostView>();

  const hosts = computed(() => [...byId.value.values()].sort((a, b) => a.config.name.localeCompare(b.config.name)));

  function put(view: HostView) {
    arrived.delete(view.config.id);
    byId.value.set(view.config.id, view);
    triggerRef(byId);
  }

  async function load() {
    try {
      const list = await api.call('hosts.list', {});
      arrived.clear();
      byId.value = new Map(list.map((h) => [h.config.id, h]));
      error.value = null;
    } catch (e) {
      error.value = (e as Error).message;
    } finally {
      loaded.value = true;
    }
  }

  async function add(input: HostInput) {
    const view = await api.call('hosts.add', input);
    put(view);
    return view;
  }

  async function update(id: string, input: HostInput) {
    const view = await api.call('hosts.update', { id, host: input });
    put(view);
    return view;
  }

  /** A password or passphrase for this session (the desktop app may also keep it, encrypted). */
  async function setSecrets(id: string, secrets: { password?: string; passphrase?: string }) {
    put(await api.call('hosts.setSecrets', { id, ...secrets }));
  }

  async function remove(id: string) {
    await api.call('hosts.remove', { id });
    byId.value.delete(id);
    triggerRef(byId);
  }

  async function trustHostKey(id: string, fingerprint: string) {
    put(await api.call('hosts.trustHostKey', { id, fingerprint }));
  }

  async function refresh(id: string) {
    put(await api.call('hosts.refresh', { id }));
  }

  function applyArrived() {
    let changed = false;
    for (const [id, view] of arrived)
      if (byId.value.has(id)) {
        byId.value.set(id, view);
        changed = true;
      }
    arrived.clear();
    if (changed) triggerRef(byId);
  }
  api.on('host.updated', (view) => {
    arrived.set(view.config.id, view);
    onNextFrame(applyArrived);
  });
  api.on('hosts.changed', () => void load());

  return { hosts, loaded, error, load, add, update, setSecrets, remove, trustHostKey, refresh };
});
