// Pure parser of `virsh nodeinfo`: the hypervisor's CPU topology and memory as libvirt sees them.
// Unparseable lines become warnings, never exceptions.

export interface NodeInfo {
  cpuModel: string | null;
  cpus: number | null;
  mhz: number | null;
  sockets: number | null;
  coresPerSocket: number | null;
  threadsPerCore: number | null;
  numaCells: number | null;
  /** libvirt's view, which can differ from /proc/meminfo (cgroup limits on the daemon). */
  memoryKiB: number | null;
}

export interface NodeInfoParseResult {
  info: NodeInfo;
  warnings: string[];
}

type NumberField = Exclude<keyof NodeInfo, 'cpuModel'>;

/** virsh's labels, in English because the shell runner sets LC_ALL=C, and their units. */
const FIELDS = new Map<string, { field: NumberField; unit: string | null }>([
  ['CPU(s)', { field: 'cpus', unit: null }],
  // printed only when the driver knows the frequency
  ['CPU frequency', { field: 'mhz', unit: 'MHz' }],
  ['CPU socket(s)', { field: 'sockets', unit: null }],
  ['Core(s) per socket', { field: 'coresPerSocket', unit: null }],
  ['Thread(s) per core', { field: 'threadsPerCore', unit: null }],
  ['NUMA cell(s)', { field: 'numaCells', unit: null }],
  ['Memory size', { field: 'memoryKiB', unit: 'KiB' }],
]);

export function parseNodeInfo(text: string): NodeInfoParseResult {
  const info: NodeInfo = {
    cpuModel: null,
    cpus: null,
    mhz: null,
    sockets: null,
    coresPerSocket: null,
    threadsPerCore: null,
    numaCells: null,
    memoryKiB: null,
  };
  const warnings: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0 || line.startsWith('error:')) {
      warnings.push(`virsh nodeinfo: line ${i + 1} not understood: ${JSON.stringify(line.slice(0, 200))}`);
      continue;
    }
    const key = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (key === 'CPU model') {
      info.cpuModel = value === '' ? null : value;
      continue;
    }
    const spec = FIELDS.get(key);
    if (spec === undefined) continue; // a label a newer virsh added
    const [digits, unit, ...rest] = value.split(/\s+/);
    if (digits === undefined || !/^\d+$/.test(digits) || (unit ?? null) !== spec.unit || rest.length > 0) {
      warnings.push(
        `virsh nodeinfo: line ${i + 1}: unexpected value for ${key}: ${JSON.stringify(value.slice(0, 200))}`,
      );
      continue;
    }
    info[spec.field] = Number(digits);
  }
  return { info, warnings };
}
