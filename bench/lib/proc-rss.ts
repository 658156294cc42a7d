// Resident memory of another process as the kernel counts it (Linux /proc), for benches that
// measure a child running the built app rather than their own tsx-run process.
import { readFileSync } from 'node:fs';

/** VmRSS and VmHWM (the peak since the process started) of `pid`, in MiB. */
export function procRss(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s*(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: kib('VmRSS') / 1024, peakMb: kib('VmHWM') / 1024 };
}
