// Both languages are complete, and formatting follows the locale.
import { describe, expect, it } from 'vitest';
import en from '../../src/renderer/i18n/en';
import zhCN from '../../src/renderer/i18n/zh-CN';
import { initialLocale } from '../../src/renderer/i18n';
import { formatAgo } from '../../src/renderer/format/time';

function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}
function values(o: object): string[] {
  return Object.values(o).flatMap((v) => (typeof v === 'object' && v !== null ? values(v as object) : [String(v)]));
}

describe('i18n', () => {
  it('has the same keys in English and Simplified Chinese', () => {
    expect(keys(zhCN).sort()).toEqual(keys(en).sort());
  });
  it('has no empty strings, and Chinese text where words are translated', () => {
    expect(values(en).every((v) => v.trim() !== '')).toBe(true);
    expect(values(zhCN).every((v) => v.trim() !== '')).toBe(true);
    expect(zhCN.nav.hosts).toMatch(/[\u4e00-\u9fff]/);
  });
  it('keeps the same placeholders in both languages', () => {
    const ph = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort().join(',');
    const zhVals = new Map(keys(zhCN).map((k, i) => [k, values(zhCN)[i] ?? '']));
    keys(en).forEach((k, i) => expect(ph(zhVals.get(k) ?? ''), k).toBe(ph(values(en)[i] ?? '')));
  });
  it('picks the saved locale, else Chinese for Chinese browsers, else English', () => {
    expect(initialLocale('en', ['zh-CN'])).toBe('en');
    expect(initialLocale(null, ['zh-TW', 'en'])).toBe('zh-CN');
    expect(initialLocale(null, ['de-DE'])).toBe('en');
  });
  it('formats relative times in both locales', () => {
    expect(formatAgo(0, 5_000, 'en')).toMatch(/^5\s*s/);
    expect(formatAgo(0, 120_000, 'zh-CN')).toMatch(/2\s*分钟前/);
  });
});
