// UI preferences kept in the renderer (localStorage): language and theme (dark, light or the
// system's, followed live). The resolved theme is set on <html data-theme> for the CSS variables.
import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import { i18n } from '../i18n';
import type { Locale } from '../i18n';
import { THEME_STORAGE_KEY, initialThemePref, resolveTheme } from '../theme/theme-choice';
import type { ThemePref } from '../theme/theme-choice';

const storage = typeof localStorage === 'undefined' ? null : localStorage;

export const useSettingsStore = defineStore('settings', () => {
  const locale = ref<Locale>(i18n.global.locale.value as Locale);
  watch(locale, (value) => {
    i18n.global.locale.value = value;
    storage?.setItem('virtdeck.locale', value);
    document.documentElement.lang = value;
  });

  const themePref = ref<ThemePref>(initialThemePref(storage?.getItem(THEME_STORAGE_KEY) ?? null));
  const query = typeof matchMedia === 'undefined' ? null : matchMedia('(prefers-color-scheme: dark)');
  const systemDark = ref(query?.matches ?? true);
  query?.addEventListener('change', (e) => (systemDark.value = e.matches));
  const theme = computed(() => resolveTheme(themePref.value, systemDark.value));
  watch(themePref, (value) => storage?.setItem(THEME_STORAGE_KEY, value));
  watch(
    theme,
    (value) => {
      if (typeof document !== 'undefined') document.documentElement.dataset.theme = value;
    },
    { immediate: true },
  );
  return { locale, themePref, theme };
});
