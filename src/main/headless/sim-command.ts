// `virtdeck sim`: runs a simulated fleet of hypervisors (SSH servers on loopback) until Ctrl-C,
// and writes what a client needs: a VirtDeck data dir (hosts.json + trusted host keys), the
// client key, an ssh_config snippet and known_hosts.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { FleetSimulator } from '../sim/fleet-sim';
import { writeSimFiles } from '../sim/sim-files';

export const SIM_USAGE = `Usage: virtdeck sim [--hosts N] [--vms M] [options]
  --hosts N          simulated hypervisors (default 20)
  --vms M            VMs per hypervisor (default 20)
  --port-base P      host i listens on 127.0.0.1:P+i (default: any free ports)
  --seed S           the fleet's seed: same seed, same fleet and figures (default 1)
  --no-incidents     no scripted incidents (pegged CPU, crash, libvirtd down, unreachable host…)
  --out DIR          where to write hosts.json, trusted-host-keys.json, id_ed25519, ssh_config,
                     known_hosts (default: a new temporary directory)
  --password PW      password every host accepts (default: a random one, printed)
  --interval SEC     collection interval written into hosts.json (default 10)
  --json             print the connection details as one JSON line
Runs until Ctrl-C. Then: virtdeck serve --data-dir DIR, or ssh -F DIR/ssh_config sim-hv001
`;

function int(name: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`--${name} must be an integer ${min}..${max}, got '${text}'`);
  return n;
}

export async function simCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      hosts: { type: 'string', default: '20' },
      vms: { type: 'string', default: '20' },
      'port-base': { type: 'string' },
      seed: { type: 'string', default: '1' },
      'no-incidents': { type: 'boolean', default: false },
      out: { type: 'string' },
      password: { type: 'string' },
      interval: { type: 'string', default: '10' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const hosts = int('hosts', values.hosts, 1, 5000) ?? 20;
  const vms = int('vms', values.vms, 0, 2000) ?? 20;
  const portBase = int('port-base', values['port-base'], 1024, 65535 - hosts);
  const seed = int('seed', values.seed, 0, 2 ** 31) ?? 1;
  const intervalSec = int('interval', values.interval, 1, 3600) ?? 10;
  const sim = await FleetSimulator.start({
    hosts,
    vms,
    seed,
    incidents: !values['no-incidents'],
    ...(portBase !== undefined ? { portBase } : {}),
    ...(values.password !== undefined ? { password: values.password } : {}),
  });
  const dir = values.out ? resolve(values.out) : mkdtempSync(join(tmpdir(), 'virtdeck-sim-'));
  const files = writeSimFiles(sim, dir, { intervalSec });
  const ports = sim.ports;
  if (values.json) {
    process.stdout.write(
      JSON.stringify({
        hosts,
        vms,
        seed,
        ports,
        hostKeyFingerprint: sim.hostKeyFingerprint,
        password: sim.password,
        pid: process.pid,
        ...files,
      }) + '\n',
    );
  } else {
    const first = ports[0] ?? 0;
    const contiguous = ports.every((p, i) => p === first + i);
    const range =
      ports.length === 1
        ? `port ${first}`
        : contiguous
          ? `ports ${first}–${first + ports.length - 1}`
          : `ports ${ports.slice(0, 4).join(', ')}${ports.length > 4 ? ', … (see ssh_config)' : ''}`;
    process.stdout.write(
      [
        `VirtDeck simulator: ${hosts} hosts × ${vms} VMs on 127.0.0.1 ${range} (seed ${seed}${values['no-incidents'] ? ', no incidents' : ''})`,
        `  host key:   ${sim.hostKeyFingerprint} (${sim.hostKeyAlgorithm}, every host)`,
        `  log in as:  any user, with ${files.identityFile} or password ${sim.password}`,
        `  hosts file: ${files.hostsJson} (the directory is a ready data dir: virtdeck serve --data-dir ${dir})`,
        `  OpenSSH:    ssh -F ${files.sshConfig} ${sim.hosts[0]?.name ?? ''}`,
        'Ctrl-C stops it.',
        '',
      ].join('\n'),
    );
  }
  await new Promise<void>((done) => {
    const stop = () => void sim.stop().then(done);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
