// What the core says about itself (version, mode, data dir, where secrets live), fetched once.
import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import { api } from '../api';
import type { AppInfo } from '../../shared/contract/api';

export const useAppInfoStore = defineStore('appInfo', () => {
  const info = shallowRef<AppInfo | null>(null);
  let pending: Promise<AppInfo> | null = null;

  function load(): Promise<AppInfo> {
    pending ??= api.call('app.info', {}).then(
      (value) => (info.value = value),
      (e: unknown) => {
        pending = null;
        throw e;
      },
    );
    return pending;
  }

  return { info, load };
});
