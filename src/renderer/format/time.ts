// Relative-time formatting for "last seen" in the current locale.

export function formatAgo(thenMs: number, nowMs: number, locale: string): string {
  const s = Math.max(0, Math.round((nowMs - thenMs) / 1000));
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'narrow' });
  if (s < 60) return rtf.format(-s, 'second');
  if (s < 3600) return rtf.format(-Math.floor(s / 60), 'minute');
  if (s < 86400) return rtf.format(-Math.floor(s / 3600), 'hour');
  return rtf.format(-Math.floor(s / 86400), 'day');
}
