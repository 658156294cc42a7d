// Pure parsers of the Linux /proc files the collector reads on a hypervisor: stat, meminfo,
// loadavg, net/dev, uptime. Counters as read (rates are the collector's job); never throws.

/** A parsed value, null fields where the file did not say, and what was not understood. */
export interface ProcResult<T> {
  value: T;
  warnings: string[];
}

/** The aggregate `cpu ` line of /proc/stat, in jiffies (USER_HZ, 100 per second on Linux). */
export interface CpuJiffies {
  /** Includes guest: the kernel counts guest time in user too, so never add the two. */
  user: number | null;
  /** Includes guestNice, likewise. */
  nice: number | null;
  system: number | null;
  idle: number | null;
  iowait: number | null;
  irq: number | null;
  softirq: number | null;
  steal: number | null;
  guest: number | null;
  guestNice: number | null;
}

export interface ProcStat {
  cpu: CpuJiffies;
  /** Number of `cpuN` lines: the CPUs online. */
  cpuCount: number | null;
  /** Boot time, seconds since the epoch. */
  btime: number | null;
  /** Context switches since boot. */
  ctxt: number | null;
  procsRunning: number | null;
}

export interface Meminfo {
  memTotalKiB: number | null;
  memFreeKiB: number | null;
  memAvailableKiB: number | null;
  buffersKiB: number | null;
  cachedKiB: number | null;
  swapTotalKiB: number | null;
  swapFreeKiB: number | null;
}

export interface Loadavg {
  load1: number | null;
  load5: number | null;
  load15: number | null;
  /** Runnable tasks now. */
  running: number | null;
  /** All tasks (threads included). */
  total: number | null;
}

export interface NetDevCounters {
  name: string;
  rxBytes: number | null;
  rxPkts: number | null;
  rxErrs: number | null;
  rxDrop: number | null;
  txBytes: number | null;
  txPkts: number | null;
  txErrs: number | null;
  txDrop: number | null;
}

export interface Uptime {
  uptimeSec: number | null;
  /** Summed over all CPUs, so it can exceed uptimeSec. */
  idleSec: number | null;
}

const UNSIGNED = /^\d+$/;
const DECIMAL = /^\d+(\.\d+)?$/;

function count(s: string | undefined): number | null {
  return s !== undefined && UNSIGNED.test(s) ? Number(s) : null;
}

function decimal(s: string | undefined): number | null {
  return s !== undefined && DECIMAL.test(s) ? Number(s) : null;
}

function fields(line: string): string[] {
  const t = line.trim();
  return t === '' ? [] : t.split(/[ \t]+/);
}

function lineWarning(file: string, index: number, why: string, line: string): string {
  return `${file} line ${index + 1}: ${why}: ${JSON.stringify(line.slice(0, 200))}`;
}

const CPU_COLUMNS: readonly (keyof CpuJiffies)[] = [
  'user',
  'nice',
  'system',
  'idle',
  'iowait',
  'irq',
  'softirq',
  'steal',
  'guest',
  'guestNice',
];

/** /proc/stat: the aggregate cpu line, the CPU count, btime, ctxt and procs_running. */
export function parseProcStat(text: string): ProcResult<ProcStat> {
  const cpu: CpuJiffies = {
    user: null,
    nice: null,
    system: null,
    idle: null,
    iowait: null,
    irq: null,
    softirq: null,
    steal: null,
    guest: null,
    guestNice: null,
  };
  const value: ProcStat = { cpu, cpuCount: null, btime: null, ctxt: null, procsRunning: null };
  const warnings: string[] = [];
  let cpus = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const [key, ...rest] = fields(line);
    if (key === undefined) continue;
    if (key === 'cpu') {
      // Older kernels print fewer columns (steal since 2.6.11, guest_nice since 2.6.33): those stay null.
      CPU_COLUMNS.forEach((column, c) => (cpu[column] = count(rest[c])));
      if (rest.length === 0 || rest.some((r) => count(r) === null)) {
        warnings.push(lineWarning('/proc/stat', i, 'cpu line not understood', line));
      }
    } else if (key.startsWith('cpu') && UNSIGNED.test(key.slice(3))) {
      cpus++;
    } else if (key === 'btime' || key === 'ctxt' || key === 'procs_running') {
      const n = count(rest[0]);
      if (n === null || rest.length !== 1) warnings.push(lineWarning('/proc/stat', i, `bad ${key}`, line));
      if (key === 'btime') value.btime = n;
      else if (key === 'ctxt') value.ctxt = n;
      else value.procsRunning = n;
    }
    // intr, softirq, processes, procs_blocked, …: not used
  }
  value.cpuCount = cpus > 0 ? cpus : null;
  return { value, warnings };
}

const MEMINFO_KEYS = new Map<string, keyof Meminfo>([
  ['MemTotal', 'memTotalKiB'],
  ['MemFree', 'memFreeKiB'],
  ['MemAvailable', 'memAvailableKiB'],
  ['Buffers', 'buffersKiB'],
  ['Cached', 'cachedKiB'],
  ['SwapTotal', 'swapTotalKiB'],
  ['SwapFree', 'swapFreeKiB'],
]);

/** /proc/meminfo, in KiB (the kernel writes "kB" but means 1024 bytes). */
export function parseMeminfo(text: string): ProcResult<Meminfo> {
  const value: Meminfo = {
    memTotalKiB: null,
    memFreeKiB: null,
    memAvailableKiB: null,
    buffersKiB: null,
    cachedKiB: null,
    swapTotalKiB: null,
    swapFreeKiB: null,
  };
  const warnings: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) {
      warnings.push(lineWarning('/proc/meminfo', i, 'not a "Key: value" line', line));
      continue;
    }
    const field = MEMINFO_KEYS.get(line.slice(0, colon));
    if (field === undefined) continue;
    const [n, unit, ...rest] = fields(line.slice(colon + 1));
    const v = count(n);
    if (v === null || unit !== 'kB' || rest.length > 0) {
      warnings.push(lineWarning('/proc/meminfo', i, 'value not in kB', line));
      continue;
    }
    value[field] = v;
  }
  return { value, warnings };
}

/** /proc/loadavg: `load1 load5 load15 running/total last_pid`. */
export function parseLoadavg(text: string): ProcResult<Loadavg> {
  const [l1, l5, l15, tasks] = fields(text.split('\n')[0] ?? '');
  const slash = tasks?.indexOf('/') ?? -1;
  const value: Loadavg = {
    load1: decimal(l1),
    load5: decimal(l5),
    load15: decimal(l15),
    running: slash > 0 ? count(tasks?.slice(0, slash)) : null,
    total: slash > 0 ? count(tasks?.slice(slash + 1)) : null,
  };
  const warnings = Object.values(value).some((v) => v === null)
    ? [lineWarning('/proc/loadavg', 0, 'not understood', text)]
    : [];
  return { value, warnings };
}

/**
 * /proc/net/dev: per interface, receive then transmit columns. The name ends at the first colon
 * (Linux forbids colons in interface names) and older kernels print no space after it
 * (`eth0:1175734951`), so the split is on the colon, not on blanks.
 */
export function parseNetDev(text: string): ProcResult<NetDevCounters[]> {
  const value: NetDevCounters[] = [];
  const warnings: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const t = line.trim();
    // The two header lines. Not "any line with a |": Linux allows | in interface names.
    if (t === '' || t.startsWith('Inter-|') || t.startsWith('face |')) continue;
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim() : '';
    const cols = fields(line.slice(colon + 1));
    if (name === '' || cols.length < 12 || cols.some((c) => count(c) === null)) {
      warnings.push(lineWarning('/proc/net/dev', i, 'interface line not understood', line));
      continue;
    }
    // receive: bytes packets errs drop fifo frame compressed multicast; transmit: bytes packets errs drop …
    value.push({
      name,
      rxBytes: count(cols[0]),
      rxPkts: count(cols[1]),
      rxErrs: count(cols[2]),
      rxDrop: count(cols[3]),
      txBytes: count(cols[8]),
      txPkts: count(cols[9]),
      txErrs: count(cols[10]),
      txDrop: count(cols[11]),
    });
  }
  return { value, warnings };
}

/** /proc/uptime: seconds since boot and idle seconds, with two decimals. */
export function parseUptime(text: string): ProcResult<Uptime> {
  const [up, idle] = fields(text.split('\n')[0] ?? '');
  const value: Uptime = { uptimeSec: decimal(up), idleSec: decimal(idle) };
  const warnings =
    value.uptimeSec === null || value.idleSec === null ? [lineWarning('/proc/uptime', 0, 'not understood', text)] : [];
  return { value, warnings };
}
