// Resident memory of another process as the kernel counts it (Linux /proc), for benches that
// measure a child running the built app rather than their own tsx-run process.
import { readFileSync } from 'node:fs';

/** VmRSS and VmHWM (the peak since the process started) of `pid`, in MiB. */
export function procRss(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s*(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: kib('VmRSS') / 1024, peakMb: kib('VmHWM') / 1024 };
}

/** CPU time (user + system) `pid` has used so far, in ms (Linux /proc/PID/stat, clock ticks of 10 ms). */
export function procCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // fields after the command name (which may hold blanks, so cut at its closing parenthesis)
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}
