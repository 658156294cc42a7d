// Asks one host, in ONE command over its persistent connection, what the create-VM wizard and
// placement need: CPUs and memory (nodeinfo, MemAvailable), defined domains and the vCPUs of the
// active ones, storage pools (pool-info --bytes, pool-dumpxml), their volumes (vol-dumpxml),
// networks, bridges, which cloud-init seed tool exists and whether /dev/kvm does. The script is
// a constant; the URI and names reach it only as quoted positional arguments ($1 …).
import type { HostCapacity, NetworkOption, SeedTool, StoragePoolOption, VolumeOption } from '../../shared/model/deploy';
import { SEED_TOOLS } from '../../shared/model/deploy';
import { parsePoolInfo, POOL_MARKER } from '../libvirt/parse-pool-info';
import { childBytes, childText, parseXml } from './xml-read';

export const MARK = '@@VD ';

/** `all`: everything the wizard lists. `capacity`: only what placement needs. */
export type ProbeMode = 'all' | 'capacity';

const SCRIPT = `uri=$1; mode=$2; want_pool=$3; base_pool=$4; base_vol=$5
v() { virsh -c "$uri" "$@" 2>&1; }
echo '${MARK}nodeinfo'; v nodeinfo
echo '${MARK}meminfo'; grep -E '^(MemTotal|MemAvailable):' /proc/meminfo
echo '${MARK}domains'; v list --all --name
echo '${MARK}vcpus'; v domstats --list-active --vcpu
echo '${MARK}tools'; for t in ${SEED_TOOLS.join(' ')}; do command -v "$t" >/dev/null 2>&1 && echo "$t"; done
echo '${MARK}kvm'; if [ -e /dev/kvm ]; then echo yes; else echo no; fi
pools() {
  if [ "$mode" = all ]; then v pool-list --all --name
  else
    [ -n "$want_pool" ] && printf '%s\\n' "$want_pool"
    [ -n "$base_pool" ] && [ "$base_pool" != "$want_pool" ] && printf '%s\\n' "$base_pool"
  fi
}
echo '${MARK}poolinfo'
pools | while read -r p; do [ -n "$p" ] || continue; echo "${POOL_MARKER}$p"; v pool-info --bytes --pool "$p"; done
pools | while read -r p; do [ -n "$p" ] || continue; echo "${MARK}poolxml"; v pool-dumpxml --pool "$p"; done
if [ "$mode" = all ]; then
  v pool-list --name | while read -r p; do
    [ -n "$p" ] || continue
    # virsh 9 has no vol-list --name: the table's path column starts at the first "/" (names hold none)
    v vol-list --pool "$p" | tail -n +3 | sed -n 's|^ [^/]*   \\(/.*\\)$|\\1|p' | while IFS= read -r path; do
      echo "${MARK}vol $p"; v vol-dumpxml --vol "$path"
    done
  done
  v net-list --all --name | while read -r n; do [ -n "$n" ] || continue; echo "${MARK}net"; v net-info --network "$n"; done
  echo '${MARK}bridges'; for b in /sys/class/net/*/bridge; do [ -d "$b" ] && basename "$(dirname "$b")"; done
elif [ -n "$base_pool" ]; then
  echo "${MARK}vol $base_pool"; v vol-dumpxml --pool "$base_pool" --vol "$base_vol"
fi
exit 0`;

export interface ProbeTarget {
  uri: string;
  mode: ProbeMode;
  /** The target pool (capacity mode). */
  pool?: string | undefined;
  /** A base volume to look up (capacity mode). */
  base?: { pool: string; volume: string } | undefined;
}

/** The argv that runs the probe (`sh -c <constant script> sh <uri> <mode> <pool> <base pool> <base vol>`). */
export function probeArgv(t: ProbeTarget): string[] {
  return ['sh', '-c', SCRIPT, 'sh', t.uri, t.mode, t.pool ?? '', t.base?.pool ?? '', t.base?.volume ?? ''];
}

export interface ProbeResult {
  capacity: Omit<HostCapacity, 'pool'>;
  pools: StoragePoolOption[];
  volumes: VolumeOption[];
  networks: NetworkOption[];
  bridges: string[];
  seedTool: SeedTool | null;
  kvm: boolean;
  warnings: string[];
}

function sections(output: string): { kind: string; arg: string; body: string[] }[] {
  const out: { kind: string; arg: string; body: string[] }[] = [];
  for (const line of output.split('\n')) {
    if (line.startsWith(MARK)) {
      const rest = line.slice(MARK.length);
      const sp = rest.indexOf(' ');
      out.push({ kind: sp < 0 ? rest : rest.slice(0, sp), arg: sp < 0 ? '' : rest.slice(sp + 1).trimEnd(), body: [] });
    } else out.at(-1)?.body.push(line);
  }
  return out;
}

const keyValues = (lines: string[]) => {
  const m = new Map<string, string>();
  for (const l of lines) {
    const i = l.indexOf(':');
    if (i > 0) m.set(l.slice(0, i).trim(), l.slice(i + 1).trim());
  }
  return m;
};

/** Parses the probe's output. Never throws: what cannot be read becomes a warning. */
export function parseProbe(output: string): ProbeResult {
  const r: ProbeResult = {
    capacity: { cpus: 0, vcpusCommitted: 0, memoryBytes: 0, freeMemoryBytes: 0, domainNames: [] },
    pools: [],
    volumes: [],
    networks: [],
    bridges: [],
    seedTool: null,
    kvm: false,
    warnings: [],
  };
  const poolXml = new Map<string, { type: string | null; path: string | null }>();
  let poolInfoText = '';
  for (const s of sections(output)) {
    const lines = s.body.filter((l) => l.trim() !== '');
    const errors = lines.filter((l) => /^error:/i.test(l.trim()));
    switch (s.kind) {
      case 'nodeinfo': {
        const kv = keyValues(lines);
        r.capacity.cpus = Number(kv.get('CPU(s)') ?? 0) || 0;
        r.capacity.memoryBytes = (parseInt(kv.get('Memory size') ?? '0', 10) || 0) * 1024;
        if (!r.capacity.cpus) r.warnings.push(`nodeinfo: ${errors[0] ?? 'no CPU count'}`);
        break;
      }
      case 'meminfo': {
        const kv = keyValues(lines);
        r.capacity.freeMemoryBytes = (parseInt(kv.get('MemAvailable') ?? '0', 10) || 0) * 1024;
        break;
      }
      case 'domains':
        if (errors.length > 0) r.warnings.push(`list: ${errors[0] as string}`);
        else r.capacity.domainNames = s.body.filter((l) => l !== '');
        break;
      case 'vcpus':
        for (const l of lines) {
          const m = /^\s*vcpu\.current=(\d+)/.exec(l);
          if (m) r.capacity.vcpusCommitted += Number(m[1]);
        }
        break;
      case 'tools':
        r.seedTool = SEED_TOOLS.find((t) => lines.some((l) => l.trim() === t)) ?? null;
        break;
      case 'kvm':
        r.kvm = lines[0]?.trim() === 'yes';
        break;
      case 'poolinfo':
        poolInfoText = s.body.join('\n');
        break;
      case 'poolxml': {
        const x = parseXml(s.body.join('\n'));
        const name = childText(x, 'name');
        if (x && name !== null) poolXml.set(name, { type: x.attr('type'), path: childText(x.find('target'), 'path') });
        else if (errors[0]) r.warnings.push(`pool-dumpxml: ${errors[0]}`);
        break;
      }
      case 'vol': {
        const x = parseXml(s.body.join('\n'));
        const name = childText(x, 'name');
        const target = x?.find('target') ?? null;
        if (!x || name === null) {
          if (errors[0]) r.warnings.push(`vol-dumpxml (${s.arg}): ${errors[0]}`);
          break;
        }
        r.volumes.push({
          pool: s.arg,
          name,
          path: childText(target, 'path') ?? childText(x, 'key') ?? '',
          format: target?.find('format')?.attr('type') ?? null,
          capacityBytes: childBytes(x, 'capacity') ?? 0,
          allocationBytes: childBytes(x, 'allocation') ?? 0,
        });
        break;
      }
      case 'net': {
        const kv = keyValues(lines);
        const name = kv.get('Name');
        if (name) r.networks.push({ name, active: kv.get('Active') === 'yes', bridge: kv.get('Bridge') ?? null });
        break;
      }
      case 'bridges':
        r.bridges = lines.map((l) => l.trim());
        break;
    }
  }
  const info = parsePoolInfo(poolInfoText);
  r.warnings.push(...info.warnings);
  for (const p of info.pools) {
    const x = poolXml.get(p.name);
    if (p.state === null && !x) continue; // no such pool (pool-info failed): its warning says so
    r.pools.push({
      name: p.name,
      state: p.state ?? 'unknown',
      type: x?.type ?? null,
      path: x?.path ?? null,
      capacityBytes: p.capacityBytes ?? 0,
      allocationBytes: p.allocationBytes ?? 0,
      availableBytes: p.availableBytes ?? 0,
    });
  }
  return r;
}

/** The capacity placement sees, with the target pool as this host has it (or null). */
export function capacityOf(probe: ProbeResult, pool: string | undefined): HostCapacity {
  const p = pool === undefined ? undefined : probe.pools.find((x) => x.name === pool);
  return {
    ...probe.capacity,
    pool: p ? { name: p.name, state: p.state, capacityBytes: p.capacityBytes, availableBytes: p.availableBytes } : null,
  };
}
