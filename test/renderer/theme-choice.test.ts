// The theme preference: saved choice or dark, and "follow system" resolving live.
import { describe, expect, it } from 'vitest';
import { initialThemePref, resolveTheme } from '../../src/renderer/theme/theme-choice';

describe('theme choice', () => {
  it('keeps a saved preference and falls back to dark', () => {
    expect(initialThemePref('light')).toBe('light');
    expect(initialThemePref('system')).toBe('system');
    expect(initialThemePref(null)).toBe('dark');
    expect(initialThemePref('purple')).toBe('dark');
  });
  it('follows the system only when asked to', () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('dark', false)).toBe('dark');
    expect(resolveTheme('light', true)).toBe('light');
  });
});
