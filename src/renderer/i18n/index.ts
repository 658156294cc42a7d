// vue-i18n setup: English and Simplified Chinese, the choice remembered in localStorage.
import { createI18n } from 'vue-i18n';
import en from './en';
import zhCN from './zh-CN';

export const LOCALES = [
  { value: 'en', label: 'English' },
  { value: 'zh-CN', label: '简体中文' },
] as const;
export type Locale = (typeof LOCALES)[number]['value'];

export function initialLocale(saved: string | null, browser: readonly string[]): Locale {
  if (saved === 'en' || saved === 'zh-CN') return saved;
  return browser.some((l) => l.toLowerCase().startsWith('zh')) ? 'zh-CN' : 'en';
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(
    typeof localStorage === 'undefined' ? null : localStorage.getItem('virtdeck.locale'),
    typeof navigator === 'undefined' ? [] : navigator.languages,
  ),
  fallbackLocale: 'en',
  messages: { en, 'zh-CN': zhCN },
});
