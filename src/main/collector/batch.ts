// The one script a host runs per cycle, and the splitting of its output into sections.
// Every section is framed by a per-run nonce and carries its own exit status, so one failing
// command (virsh with libvirtd down) never hides the others' output (/proc figures).
import { randomBytes } from 'node:crypto';
import { toShellCommand } from '../ssh/shell-quote';

export type SectionName =
  | 'domstats'
  | 'list'
  | 'stat'
  | 'meminfo'
  | 'loadavg'
  | 'netdev'
  | 'uptime'
  | 'nproc'
  | 'nodeinfo'
  | 'version'
  | 'pools'
  | 'autostart';

export interface BatchPlan {
  uri: string;
  /** name↔UUID map needed (first cycle, or the VM set changed). */
  list: boolean;
  /** static host facts (first cycle, then now and then). */
  nodeinfo: boolean;
  /** storage pools (every minute rather than every cycle). */
  pools: boolean;
}

/**
 * One section of a cycle's output: its bytes (a view into the run's output, parsed as they are
 * by the domstats parser) and, decoded on first use, its text for the small /proc and virsh
 * sections.
 */
export class Section {
  private decoded: string | null = null;

  constructor(
    readonly bytes: Buffer,
    readonly code: number,
  ) {}

  get text(): string {
    this.decoded ??= this.bytes.toString('utf8');
    return this.decoded;
  }
}

const virsh = (uri: string, ...args: string[]) => toShellCommand(['virsh', '-c', uri, ...args]);

function sectionCommands(plan: BatchPlan): [SectionName, string][] {
  const s: [SectionName, string][] = [['domstats', virsh(plan.uri, 'domstats', '--raw', '--nowait')]];
  if (plan.list) s.push(['list', virsh(plan.uri, 'list', '--all', '--uuid', '--name')]);
  // which VMs start with the host (the warn engine expects those to run); with the name map and
  // every minute with the pools, not every cycle
  if (plan.list || plan.pools) s.push(['autostart', virsh(plan.uri, 'list', '--all', '--autostart', '--uuid')]);
  s.push(
    ['stat', 'cat /proc/stat'],
    ['meminfo', 'cat /proc/meminfo'],
    ['loadavg', 'cat /proc/loadavg'],
    ['netdev', 'cat /proc/net/dev'],
    ['uptime', 'cat /proc/uptime'],
    ['nproc', 'nproc'],
  );
  if (plan.nodeinfo) {
    s.push(['nodeinfo', virsh(plan.uri, 'nodeinfo')], ['version', virsh(plan.uri, 'version', '--daemon')]);
  }
  if (plan.pools) {
    // by UUID: `pool-list --name` pads names with blanks, which pool-info then cannot find
    const list = virsh(plan.uri, 'pool-list', '--all', '--uuid');
    const info = `${virsh(plan.uri, 'pool-info', '--bytes', '--pool')} "$p"`;
    // status: pool-list's own (libvirt unreachable); a pool that vanishes mid-loop is only a
    // warning of the parser, not a failed section
    s.push([
      'pools',
      `pl=$(${list}) && printf '%s\\n' "$pl" | while IFS= read -r p; do [ -z "$p" ] || { printf '@@VDPOOL %s\\n' "$p"; ${info} || true; }; done`,
    ]);
  }
  return s;
}

/** The script for one cycle, and the nonce its section markers carry. */
export function buildBatch(plan: BatchPlan): { script: string; nonce: string } {
  const nonce = randomBytes(6).toString('hex');
  const lines = sectionCommands(plan).map(
    ([name, cmd]) => `printf '\\036S${nonce} ${name}\\n'; ${cmd}; printf '\\n\\036E${nonce} ${name} %d\\n' "$?"`,
  );
  return { script: lines.join('\n'), nonce };
}

const LF = 0x0a;

/**
 * Splits a cycle's output into its sections; missing sections are simply absent. Works on the
 * bytes as received: the markers are ASCII, and a section is a view into `output`, not a copy.
 */
export function splitBatch(output: Buffer | string, nonce: string): Map<SectionName, Section> {
  const bytes = typeof output === 'string' ? Buffer.from(output, 'utf8') : output;
  const sections = new Map<SectionName, Section>();
  const start = Buffer.from(`\u001eS${nonce} `, 'latin1');
  const end = `\u001eE${nonce} `;
  let pos = 0;
  for (;;) {
    const s = bytes.indexOf(start, pos);
    if (s < 0) break;
    const nameEnd = bytes.indexOf(LF, s);
    if (nameEnd < 0) break;
    const name = bytes.toString('latin1', s + start.length, nameEnd) as SectionName;
    const endMarker = Buffer.from(`${end}${name} `, 'latin1');
    const e = bytes.indexOf(endMarker, nameEnd);
    if (e < 0) break;
    const codeEnd = bytes.indexOf(LF, e);
    const code = Number(bytes.toString('latin1', e + endMarker.length, codeEnd < 0 ? bytes.length : codeEnd));
    // drop the newline printed before the end marker
    const text = bytes.subarray(nameEnd + 1, bytes[e - 1] === LF ? e - 1 : e);
    sections.set(name, new Section(text, Number.isFinite(code) ? code : -1));
    pos = codeEnd < 0 ? bytes.length : codeEnd + 1;
  }
  return sections;
}
