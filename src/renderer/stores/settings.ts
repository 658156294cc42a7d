// UI preferences kept in the renderer: language (theme follows in the UI issue).
import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import { i18n } from '../i18n';
import type { Locale } from '../i18n';

export const useSettingsStore = defineStore('settings', () => {
  const locale = ref<Locale>(i18n.global.locale.value as Locale);
  watch(locale, (value) => {
    i18n.global.locale.value = value;
    localStorage.setItem('virtdeck.locale', value);
    document.documentElement.lang = value;
  });
  return { locale };
});
