// SSH figures against the lab (test/lab/lab-up.sh): the round trip of one command over a
// persistent connection (exec channel vs the persistent remote sh VirtDeck uses), a cold
// `ssh` process as the baseline, 200 handshakes through the fleet-wide limiter, and the
// client CPU one host costs per collection cycle.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { HostConfig } from '../src/shared/model/host';
import { HostCollector } from '../src/main/collector/host-collector';
import { SessionSecrets } from '../src/main/config/session-secrets';
import { ConnectLimiter } from '../src/main/ssh/connect-limiter';
import { sha256Fingerprint } from '../src/main/ssh/fingerprint';
import { HostKeyStore } from '../src/main/ssh/host-key-store';
import { HostKeyVerifier } from '../src/main/ssh/host-key-verifier';
import { ShellRunner } from '../src/main/ssh/shell-runner';
import { SshSession } from '../src/main/ssh/ssh-session';
import { readLab } from '../test/helpers/lab-env';
import type { Lab } from '../test/helpers/lab-env';
import { tempDir } from '../test/helpers/temp';
import type { Figure } from './lib/figures';
import { median } from './lib/figures';

const REPS = 200;

function session(lab: Lab, gate?: ConnectLimiter): SshSession {
  return new SshSession({
    address: lab.host,
    port: lab.ports[0] ?? 0,
    user: 'vdmon',
    auth: { identityFiles: [lab.keyPath] },
    verifyHostKey: () => ({ kind: 'trusted' }),
    ...(gate ? { gate: <T>(task: () => Promise<T>) => gate.run(task) } : {}),
  });
}

async function roundTrips(lab: Lab): Promise<{ execMs: number[]; shMs: number[]; coldMs: number[] }> {
  const s = session(lab);
  await s.connect();
  const execMs: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const t = performance.now();
    await s.exec(['true'], { timeoutMs: 5000 });
    execMs.push(performance.now() - t);
  }
  const runner = new ShellRunner(s);
  await runner.run('true', 5000);
  const shMs: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const t = performance.now();
    await runner.run('true', 5000);
    shMs.push(performance.now() - t);
  }
  runner.close();
  s.close();
  const coldMs: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t = performance.now();
    execFileSync('ssh', [
      ...['-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'BatchMode=yes'],
      ...['-o', 'LogLevel=ERROR', '-i', lab.keyPath, '-p', String(lab.ports[0]), `vdmon@${lab.host}`, 'true'],
    ]);
    coldMs.push(performance.now() - t);
  }
  return { execMs, shMs, coldMs };
}

/** A fleet's worth of handshakes through the fleet-wide limiter (16 at once). */
async function connectFleet(lab: Lab, hosts: number): Promise<number> {
  const limiter = new ConnectLimiter(16);
  const fleet = Array.from({ length: hosts }, () => session(lab, limiter));
  const t = performance.now();
  const outcomes = await Promise.allSettled(fleet.map((f) => f.connect()));
  const ms = performance.now() - t;
  fleet.forEach((f) => f.close());
  const failed = outcomes.filter((o) => o.status === 'rejected').length;
  if (failed) process.stderr.write(`ssh bench: ${failed} of ${hosts} connects failed\n`);
  return ms;
}

/** Wall time and client CPU of full collector cycles (batch, parse, figures) against the lab. */
async function collectorCycles(lab: Lab, cycles: number): Promise<{ cycleMs: number[]; cpuMsPerCycle: number }> {
  const port = lab.ports[0] ?? 0;
  const keys = new HostKeyStore(join(tempDir('bench'), 'k.json'));
  const pub = execFileSync('cat', [lab.hostPubKeyPath], { encoding: 'utf8' }).split(' ')[1] ?? '';
  keys.trust(lab.host, port, 'ssh-ed25519', sha256Fingerprint(Buffer.from(pub, 'base64')));
  const config: HostConfig = {
    id: 'bench',
    name: 'bench',
    address: lab.host,
    port,
    user: 'vdmon',
    identityFile: lab.keyPath,
    uri: lab.uri,
    intervalSec: 10,
    timeoutSec: 5,
    enabled: true,
    simulated: false,
  };
  const collector = new HostCollector(config, {
    verifier: new HostKeyVerifier(keys, []),
    secrets: new SessionSecrets(),
    sshConfigText: () => null,
    onView: () => undefined,
    onSnapshot: () => undefined,
  });
  await collector.collectNow();
  const cycleMs: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < cycles; i++) {
    const t = performance.now();
    await collector.collectNow();
    cycleMs.push(performance.now() - t);
  }
  const cpu = process.cpuUsage(cpu0);
  collector.stop();
  return { cycleMs, cpuMsPerCycle: (cpu.user + cpu.system) / 1000 / cycles };
}

export async function run(): Promise<Figure[]> {
  const lab = readLab();
  if ('missing' in lab) {
    process.stderr.write(`ssh bench skipped: ${lab.missing}\n`);
    return [];
  }
  const { execMs, shMs, coldMs } = await roundTrips(lab);
  const connect200Ms = await connectFleet(lab, 200);
  const { cycleMs, cpuMsPerCycle } = await collectorCycles(lab, 50);
  return [
    { name: 'ssh.exec_roundtrip_ms', value: median(execMs), unit: 'ms', target: 5, baseline: median(coldMs) },
    { name: 'ssh.shell_roundtrip_ms', value: median(shMs), unit: 'ms', target: 5, baseline: median(execMs) },
    { name: 'ssh.connect_200_hosts_s', value: connect200Ms / 1000, unit: 's', target: 5, baseline: null },
    { name: 'collector.lab_cycle_ms', value: median(cycleMs), unit: 'ms', target: null, baseline: null },
    { name: 'collector.client_cpu_ms_per_host_cycle', value: cpuMsPerCycle, unit: 'ms', target: null, baseline: null },
  ];
}
