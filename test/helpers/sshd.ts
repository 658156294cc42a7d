// Extra, short-lived OpenSSH sshd instances for tests that must kill, freeze or re-key a
// server without disturbing the lab's own: same users (the lab's passwd/group copies), own
// host key, own port, own authorized_keys.
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import type { Lab } from './lab';
import { tempDir } from './temp';

export interface TestSshd {
  port: number;
  dir: string;
  hostKeyPub: string;
  child: ChildProcess;
  /** SHA256 fingerprint of the host key, as ssh-keygen prints it. */
  fingerprint: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const addr = server.address();
  await new Promise<void>((r) => server.close(() => r()));
  if (!addr || typeof addr === 'string') throw new Error('no port');
  return addr.port;
}

export function fingerprintOf(pubKeyPath: string): string {
  return execFileSync('ssh-keygen', ['-lf', pubKeyPath], { encoding: 'utf8' }).split(' ')[1] ?? '';
}

export interface SshdOptions {
  /** Reuse this host key (private key path) instead of making a new one. */
  hostKey?: string;
  port?: number;
  extraConfig?: string;
  /** Public key(s) allowed to log in; default: the lab's client key. */
  authorizedKeys?: string;
  /** Give user vdmon this password and allow password logins (a private /etc/shadow copy). */
  password?: string;
  /** With `password`: offer it only through keyboard-interactive (PAM asks), not "password". */
  keyboardInteractive?: boolean;
}

export async function startSshd(lab: Lab, opts: SshdOptions = {}): Promise<TestSshd> {
  const dir = tempDir('sshd');
  const port = opts.port ?? (await freePort());
  const hostKey = join(dir, 'host_key');
  if (opts.hostKey) {
    copyFileSync(opts.hostKey, hostKey);
    copyFileSync(`${opts.hostKey}.pub`, `${hostKey}.pub`);
    execFileSync('chmod', ['600', hostKey]);
  } else {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'virtdeck-test-host', '-f', hostKey]);
  }
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(opts.authorizedKeys ?? `${lab.keyPath}.pub`), {
    mode: 0o644,
  });
  chmodSync(dir, 0o755); // sshd reads authorized_keys as the (non-root) user
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'PubkeyAuthentication yes',
      `PasswordAuthentication ${opts.password !== undefined && !opts.keyboardInteractive ? 'yes' : 'no'}`,
      `KbdInteractiveAuthentication ${opts.keyboardInteractive ? 'yes' : 'no'}`,
      'PermitRootLogin prohibit-password',
      'AllowUsers root vdmon',
      `UsePAM ${opts.keyboardInteractive ? 'yes' : 'no'}`,
      'StrictModes no',
      'UseDNS no',
      'AllowTcpForwarding yes',
      'MaxSessions 64',
      'LogLevel INFO',
      opts.extraConfig ?? '',
    ].join('\n') + '\n',
  );
  const run = join(lab.dir, 'run');
  let shadowMount = '';
  if (opts.password !== undefined) {
    const hash = execFileSync('openssl', ['passwd', '-6', '-stdin'], { input: opts.password, encoding: 'utf8' }).trim();
    const shadow = join(dir, 'shadow');
    const base = readFileSync('/etc/shadow', 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('vdmon:'));
    writeFileSync(shadow, [...base, `vdmon:${hash}:19000:0:99999:7:::`].join('\n') + '\n', { mode: 0o600 });
    shadowMount = ` && mount --bind ${shadow} /etc/shadow`;
  }
  const child = spawn(
    'unshare',
    [
      '-m',
      '--propagation',
      'private',
      'sh',
      '-c',
      `mount --bind ${run}/passwd /etc/passwd && mount --bind ${run}/group /etc/group${shadowMount} && exec /usr/sbin/sshd -D -f ${config} -E ${join(dir, 'sshd.log')}`,
    ],
    { stdio: 'ignore' },
  );
  // ready when the port accepts connections
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ host: '127.0.0.1', port });
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) break;
    if (child.exitCode !== null) throw new Error(`sshd exited: ${readFileSync(join(dir, 'sshd.log'), 'utf8')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    dir,
    hostKeyPub: `${hostKey}.pub`,
    child,
    fingerprint: fingerprintOf(`${hostKey}.pub`),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGCONT');
        child.kill('SIGTERM');
      }),
  };
}

/** The pid and every descendant (sshd forks a process per connection, in its own session). */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' }).split('\n')) {
    const [pid, ppid] = entry.trim().split(/\s+/).map(Number);
    if (!pid || ppid === undefined) continue;
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const out: number[] = [];
  const walk = (p: number) => {
    out.push(p);
    (children.get(p) ?? []).forEach(walk);
  };
  walk(root);
  return out;
}

/** Freezes (SIGSTOP) or thaws (SIGCONT) an sshd and all its connections. */
export function signalTree(sshd: TestSshd, signal: 'SIGSTOP' | 'SIGCONT'): void {
  if (!sshd.child.pid) return;
  for (const pid of processTree(sshd.child.pid)) {
    try {
      process.kill(pid, signal);
    } catch {
      // gone already
    }
  }
}
