// Pure parser of the collector's storage-pool loop: `@@VDPOOL <pool>` then that pool's
// `virsh pool-info --bytes`, for every pool of `virsh pool-list --all`. Never throws.

export interface PoolInfo {
  name: string;
  uuid: string | null;
  /** virsh's word: inactive, building, running, degraded, inaccessible. */
  state: string | null;
  persistent: boolean | null;
  autostart: boolean | null;
  /** Absent (null) while the pool is inactive: virsh prints sizes only for running pools. */
  capacityBytes: number | null;
  allocationBytes: number | null;
  availableBytes: number | null;
}

export interface PoolInfoParseResult {
  pools: PoolInfo[];
  warnings: string[];
}

export const POOL_MARKER = '@@VDPOOL ';

type SizeField = 'capacityBytes' | 'allocationBytes' | 'availableBytes';
type FlagField = 'persistent' | 'autostart';

const SIZES = new Map<string, SizeField>([
  ['Capacity', 'capacityBytes'],
  ['Allocation', 'allocationBytes'],
  ['Available', 'availableBytes'],
]);

const FLAGS = new Map<string, FlagField>([
  ['Persistent', 'persistent'],
  ['Autostart', 'autostart'],
]);

function newPool(name: string): PoolInfo {
  return {
    name,
    uuid: null,
    state: null,
    persistent: null,
    autostart: null,
    capacityBytes: null,
    allocationBytes: null,
    availableBytes: null,
  };
}

/**
 * The marker carries whatever the loop read from `pool-list`, which virsh 9 pads with trailing
 * spaces to its column width (test-hostile_pool_loop_name.txt); the `Name:` line, when pool-info
 * succeeded, is the authority, and the marker (trailing blanks dropped) only names a pool whose
 * pool-info failed. `error:` lines (stderr merged in) become warnings for that pool.
 */
export function parsePoolInfo(text: string): PoolInfoParseResult {
  const pools: PoolInfo[] = [];
  const warnings: string[] = [];
  const warn = (lineNo: number, why: string, line: string) =>
    warnings.push(`pool-info line ${lineNo}: ${why}: ${JSON.stringify(line.slice(0, 200))}`);
  let cur: PoolInfo | null = null;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] as string;
    const lineNo = i + 1;
    if (raw.startsWith(POOL_MARKER)) {
      const id = raw.slice(POOL_MARKER.length).trimEnd();
      if (id === '') {
        warn(lineNo, 'pool marker without a pool', raw);
        cur = null;
        continue;
      }
      cur = newPool(id);
      pools.push(cur);
      continue;
    }
    const line = raw.trim();
    if (line === '') continue;
    if (cur === null) {
      warn(lineNo, 'outside a pool block', raw);
      continue;
    }
    if (line.startsWith('error:')) {
      warn(lineNo, `pool ${JSON.stringify(cur.name)}`, line);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      warn(lineNo, 'not a "Key: value" line', raw);
      continue;
    }
    const key = line.slice(0, colon);
    const value = line.slice(colon + 1).trim();
    if (key === 'Name') {
      if (value !== '') cur.name = value;
    } else if (key === 'UUID') {
      cur.uuid = value === '' ? null : value;
    } else if (key === 'State') {
      cur.state = value === '' ? null : value;
    } else {
      const size = SIZES.get(key);
      const flag = FLAGS.get(key);
      if (size !== undefined) {
        if (/^\d+$/.test(value)) cur[size] = Number(value);
        else warn(lineNo, `${key} is not a byte count (pool-info without --bytes?)`, raw);
      } else if (flag !== undefined) {
        if (value === 'yes' || value === 'no') cur[flag] = value === 'yes';
        else warn(lineNo, `${key} is neither yes nor no`, raw);
      }
      // other labels: something a newer virsh added
    }
  }
  return { pools, warnings };
}
