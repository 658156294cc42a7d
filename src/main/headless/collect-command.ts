// `virtdeck collect`: the collector for ad-hoc troubleshooting from a terminal. One host (an
// address, ssh://user@host:port, or an ~/.ssh/config alias); a top-like table or JSON.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import type { HostConfig, HostView } from '../../shared/model/host';
import type { HostSnapshot } from '../../shared/model/metrics';
import { formatBytes, formatCount, formatPct, formatRate } from '../../shared/format/units';
import { resolveDataDir } from '../config/data-dir';
import { SessionSecrets } from '../config/session-secrets';
import { HostCollector } from '../collector/host-collector';
import { HostKeyStore } from '../ssh/host-key-store';
import { HostKeyVerifier } from '../ssh/host-key-verifier';
import { parseHostSpec } from '../ssh/ssh-target';

export const COLLECT_USAGE = `Usage: virtdeck collect --host [ssh://][user@]host[:port] [options]
  --host SPEC              the hypervisor (an ~/.ssh/config alias works too)
  --identity FILE          private key file
  --uri URI                libvirt URI (default qemu:///system)
  --jump SPEC              ProxyJump: [user@]bastion[:port][,…]
  --once                   one snapshot (two samples, so rates exist) and exit
  --interval S             refresh every S seconds (default 5)
  --json                   print JSON instead of a table
  --accept-new-hostkey     trust an unknown host key (a changed key is still refused)
  --timeout S              seconds per round trip (default 5)
  --data-dir DIR           where trusted host keys are kept
`;

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function pad(s: string, n: number, right = false): string {
  const w = [...s].length;
  if (w >= n) return [...s].slice(0, n).join('');
  return right ? ' '.repeat(n - w) + s : s + ' '.repeat(n - w);
}

export function renderTable(view: HostView, snap: HostSnapshot | null): string {
  const h = snap?.host;
  const lines = [
    `${view.config.name}  ${view.status}${view.reason ? ` — ${view.reason}` : ''}`,
    h
      ? `cpu ${formatPct(h.cpuPct)}  load ${formatCount(h.load1, 2)} ${formatCount(h.load5, 2)} ${formatCount(h.load15, 2)}  ` +
        `mem ${formatBytes((h.memUsedKiB ?? NaN) * 1024)} / ${formatBytes((h.memTotalKiB ?? NaN) * 1024)}  cpus ${h.cpus ?? '–'}  ` +
        `vms ${Object.entries(h.vmCounts)
          .map(([s, n]) => `${n} ${s}`)
          .join(', ')}`
      : '',
    '',
    [
      pad('NAME', 24),
      pad('STATE', 10),
      pad('CPU', 8, true),
      pad('STEAL', 8, true),
      pad('MEM', 8, true),
      pad('NET RX', 12, true),
      pad('NET TX', 12, true),
      pad('DISK R', 12, true),
      pad('DISK W', 12, true),
    ].join(' '),
  ];
  for (const v of snap?.vms ?? []) {
    lines.push(
      [
        pad(v.name, 24),
        pad(v.state, 10),
        pad(formatPct(v.cpuPct), 8, true),
        pad(formatPct(v.stealPct), 8, true),
        pad(formatPct(v.memPct), 8, true),
        pad(formatRate(v.netRxBps), 12, true),
        pad(formatRate(v.netTxBps), 12, true),
        pad(formatRate(v.diskReadBps), 12, true),
        pad(formatRate(v.diskWriteBps), 12, true),
      ].join(' '),
    );
  }
  if (snap?.warnings.length) lines.push('', ...snap.warnings.slice(0, 5).map((w) => `warning: ${w}`));
  return lines.join('\n');
}

export async function collectCommand(args: string[], out: NodeJS.WriteStream = process.stdout): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      host: { type: 'string' },
      identity: { type: 'string' },
      uri: { type: 'string', default: 'qemu:///system' },
      jump: { type: 'string' },
      once: { type: 'boolean', default: false },
      interval: { type: 'string', default: '5' },
      json: { type: 'boolean', default: false },
      'accept-new-hostkey': { type: 'boolean', default: false },
      timeout: { type: 'string', default: '5' },
      'data-dir': { type: 'string' },
    },
    strict: true,
  });
  if (!values.host) throw new Error(`--host is required\n\n${COLLECT_USAGE}`);
  const spec = parseHostSpec(values.host);
  const interval = Number(values.interval);
  const timeout = Number(values.timeout);
  if (!(interval >= 1)) throw new Error('--interval must be at least 1 (seconds)');
  if (!(timeout >= 1)) throw new Error('--timeout must be at least 1 (seconds)');
  const home = homedir();
  const dataDir = resolveDataDir({ override: values['data-dir'], platform: process.platform, env: process.env, home });
  const hostKeys = new HostKeyStore(join(dataDir, 'trusted-host-keys.json'));
  const config: HostConfig = {
    id: 'cli',
    name: values.host,
    address: spec.host,
    ...(spec.port !== undefined ? { port: spec.port } : {}),
    ...(spec.user !== undefined ? { user: spec.user } : {}),
    ...(values.identity ? { identityFile: values.identity } : {}),
    ...(values.jump ? { jump: values.jump } : {}),
    uri: values.uri,
    intervalSec: interval,
    timeoutSec: timeout,
    enabled: true,
    simulated: false,
  };
  const collector = new HostCollector(config, {
    verifier: new HostKeyVerifier(hostKeys, [join(home, '.ssh', 'known_hosts'), '/etc/ssh/ssh_known_hosts']),
    secrets: new SessionSecrets(),
    sshConfigText: () => readOrNull(join(home, '.ssh', 'config')),
    onView: () => undefined,
    onSnapshot: () => undefined,
    poolIntervalMs: 0,
  });

  const sample = async (): Promise<HostView> => {
    let view = await collector.collectNow();
    if (view.status === 'hostkey-unknown' && view.pendingHostKey) {
      const k = view.pendingHostKey;
      let accept = values['accept-new-hostkey'];
      if (!accept && process.stdin.isTTY) {
        const rl = createInterface({ input: process.stdin, output: process.stderr });
        const answer = await rl.question(
          `${k.host}:${k.port} presents ${k.algorithm} key ${k.fingerprint}. Trust it? [y/N] `,
        );
        rl.close();
        accept = /^y(es)?$/i.test(answer.trim());
      }
      if (!accept) {
        throw new Error(
          `unknown host key ${k.fingerprint} (${k.algorithm}) at ${k.host}:${k.port}; compare it with the host, then rerun with --accept-new-hostkey`,
        );
      }
      hostKeys.trust(k.host, k.port, k.algorithm, k.fingerprint);
      view = await collector.collectNow();
    }
    if (view.status !== 'ok' && view.status !== 'degraded') throw new Error(`${view.status}: ${view.reason ?? ''}`);
    return view;
  };

  try {
    await sample();
    if (values.once) {
      await new Promise((r) => setTimeout(r, 1000)); // a second sample, so counters become rates
      const view = await sample();
      const snap = collector.lastSnapshot;
      out.write(
        values.json
          ? JSON.stringify(
              {
                host: { ...view, vms: undefined },
                figures: snap?.host ?? null,
                vms: snap?.vms ?? [],
                warnings: snap?.warnings ?? [],
              },
              null,
              2,
            ) + '\n'
          : renderTable(view, snap) + '\n',
      );
      return view.status === 'ok' ? 0 : 1;
    }
    for (;;) {
      await new Promise((r) => setTimeout(r, interval * 1000));
      const view = await sample().catch((e: Error) => ({ ...collector.view, reason: e.message }));
      const snap = collector.lastSnapshot;
      out.write(
        values.json
          ? JSON.stringify({ figures: snap?.host ?? null, vms: snap?.vms ?? [] }) + '\n'
          : `\u001b[2J\u001b[H${renderTable(view, snap)}\n`,
      );
    }
  } finally {
    collector.stop();
  }
}
