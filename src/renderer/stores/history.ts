// History's health (shown when it cannot write) and the CSV export the UI offers.
import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import { api } from '../api';
import { saveFile } from '../composables/save-file';
import type { HistoryStatus, ParamsIn } from '../../shared/contract/api';
import type { Retention } from '../../shared/model/history';

export const useHistoryStore = defineStore('history', () => {
  const status = shallowRef<HistoryStatus | null>(null);
  const retention = shallowRef<Retention | null>(null);

  async function load() {
    status.value = await api.call('history.status', {});
    retention.value = await api.call('settings.retention.get', {});
  }

  async function saveRetention(r: Retention) {
    retention.value = await api.call('settings.retention.set', r);
  }

  /** Asks the core for CSV and hands it to the browser as a download. */
  async function downloadCsv(params: ParamsIn<'history.export'>, filename: string) {
    const { csv } = await api.call('history.export', params);
    saveFile(csv, 'text/csv;charset=utf-8', filename);
  }

  api.on('history.statusChanged', (s) => (status.value = s));
  return { status, retention, load, saveRetention, downloadCsv };
});
