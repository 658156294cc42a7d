// Human formatting of figures, shared by the UI and the CLI: binary units for bytes,
// '–' for unknown values (never a misleading 0).

export const UNKNOWN = '–';

export function formatBytes(n: number | null | undefined, digits = 1): string {
  if (n == null || !Number.isFinite(n)) return UNKNOWN;
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = Math.abs(n);
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${n < 0 ? '-' : ''}${i === 0 ? Math.round(v) : v.toFixed(digits)} ${units[i]}`;
}

export function formatRate(bytesPerSec: number | null | undefined): string {
  return bytesPerSec == null ? UNKNOWN : `${formatBytes(bytesPerSec)}/s`;
}

export function formatPct(p: number | null | undefined, digits = 1): string {
  return p == null || !Number.isFinite(p) ? UNKNOWN : `${p.toFixed(digits)} %`;
}

export function formatCount(n: number | null | undefined, digits = 1): string {
  if (n == null || !Number.isFinite(n)) return UNKNOWN;
  return n >= 100 ? String(Math.round(n)) : n.toFixed(digits);
}

export function formatDuration(sec: number | null | undefined): string {
  if (sec == null || !Number.isFinite(sec) || sec < 0) return UNKNOWN;
  const d = Math.floor(sec / 86400);
  const h = Math.floor((sec % 86400) / 3600);
  const m = Math.floor((sec % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${Math.floor(sec % 60)}s`;
  return `${Math.floor(sec)}s`;
}
