// The theme preference (dark, light or follow the system) and what it resolves to.
export const THEME_PREFS = ['dark', 'light', 'system'] as const;
export type ThemePref = (typeof THEME_PREFS)[number];
export type ResolvedTheme = 'dark' | 'light';

export const THEME_STORAGE_KEY = 'virtdeck.theme';

/** The saved preference; dark (the console's original look) when none or unreadable. */
export function initialThemePref(saved: string | null): ThemePref {
  return (THEME_PREFS as readonly string[]).includes(saved ?? '') ? (saved as ThemePref) : 'dark';
}

export function resolveTheme(pref: ThemePref, systemPrefersDark: boolean): ResolvedTheme {
  if (pref === 'system') return systemPrefersDark ? 'dark' : 'light';
  return pref;
}
