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

export interface Section {
  text: string;
  code: number;
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

/** Splits a cycle's output into its sections; missing sections are simply absent. */
export function splitBatch(output: string, nonce: string): Map<SectionName, Section> {
  const sections = new Map<SectionName, Section>();
  const start = `\u001eS${nonce} `;
  const end = `\u001eE${nonce} `;
  let pos = 0;
  for (;;) {
    const s = output.indexOf(start, pos);
    if (s < 0) break;
    const nameEnd = output.indexOf('\n', s);
    if (nameEnd < 0) break;
    const name = output.slice(s + start.length, nameEnd) as SectionName;
    const e = output.indexOf(`${end}${name} `, nameEnd);
    if (e < 0) break;
    const codeEnd = output.indexOf('\n', e);
    const code = Number(output.slice(e + end.length + name.length + 1, codeEnd < 0 ? undefined : codeEnd));
    // drop the newline printed before the end marker
    const text = output.slice(nameEnd + 1, output[e - 1] === '\n' ? e - 1 : e);
    sections.set(name, { text, code: Number.isFinite(code) ? code : -1 });
    pos = codeEnd < 0 ? output.length : codeEnd + 1;
  }
  return sections;
}
