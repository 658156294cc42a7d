// The collector when things go wrong, with real daemons: sshd killed or frozen, libvirtd
// stopped, a host key replaced — and reaching a host through a ProxyJump bastion.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { HostCollector } from '../../src/main/collector/host-collector';
import { describeWithLab } from '../helpers/lab';
import { labConfig, recordCollector, sleep, until } from '../helpers/collector';
import { fingerprintOf, processTree, signalTree, startSshd } from '../helpers/sshd';
import type { TestSshd } from '../helpers/sshd';
import { tempDir } from '../helpers/transports';

const collectors: HostCollector[] = [];
const daemons: TestSshd[] = [];
afterEach(async () => {
  collectors.splice(0).forEach((c) => c.stop());
  for (const d of daemons.splice(0)) {
    signalTree(d, 'SIGCONT');
    await d.stop();
  }
});

describeWithLab('collector failure modes', (getLab) => {
  it('marks a host unreachable soon after its sshd is killed, and recovers when it returns', async () => {
    const lab = getLab();
    const labKey = join(lab.dir, 'ssh', 'host_ed25519_key');
    const sshd = await startSshd(lab, { hostKey: labKey });
    daemons.push(sshd);
    const r = recordCollector(lab, labConfig(lab, { port: sshd.port, intervalSec: 1 }), {
      trustPorts: [sshd.port],
      staleToleranceMs: 2000,
    });
    collectors.push(r.collector);
    r.collector.start();
    await until('first ok', () => r.collector.view.status === 'ok');
    const killedAt = Date.now();
    for (const pid of processTree(sshd.child.pid ?? 0)) process.kill(pid, 'SIGKILL');
    await until('unreachable', () => r.collector.view.status === 'unreachable', 10_000);
    expect(Date.now() - killedAt).toBeLessThan(1000 + 2000); // interval + tolerance
    expect(r.collector.view.reason).toMatch(/connection refused|ended|closed|reset/);
    const back = await startSshd(lab, { hostKey: labKey, port: sshd.port });
    daemons.push(back);
    await until('ok again', () => r.collector.view.status === 'ok', 15_000);
  });

  it('times out a frozen host while another host keeps its cadence', async () => {
    const lab = getLab();
    const frozen = await startSshd(lab, { hostKey: join(lab.dir, 'ssh', 'host_ed25519_key') });
    daemons.push(frozen);
    const a = recordCollector(lab, labConfig(lab, { port: frozen.port, intervalSec: 1, timeoutSec: 2 }), {
      trustPorts: [frozen.port],
    });
    const b = recordCollector(lab, labConfig(lab, { intervalSec: 1 }));
    collectors.push(a.collector, b.collector);
    a.collector.start();
    b.collector.start();
    await until('both ok', () => a.collector.view.status === 'ok' && b.collector.view.status === 'ok');
    signalTree(frozen, 'SIGSTOP');
    const frozenAt = Date.now();
    await sleep(4500);
    expect(a.collector.view.status).toBe('unreachable');
    expect(a.collector.view.reason).toMatch(/no (answer|SSH handshake) within 2000 ms/);
    const bTimes = b.snapshots.map((s) => s.ts).filter((t) => t >= frozenAt);
    expect(bTimes.length).toBeGreaterThanOrEqual(3);
    const gaps = bTimes.slice(1).map((t, i) => t - (bTimes[i] ?? t));
    expect(Math.max(...gaps)).toBeLessThan(1600); // 1 s cadence held while the other host hung
    signalTree(frozen, 'SIGCONT');
  });

  it('shows a host as stale when a cycle hangs past interval + tolerance, before the timeout', async () => {
    const lab = getLab();
    const sshd = await startSshd(lab, { hostKey: join(lab.dir, 'ssh', 'host_ed25519_key') });
    daemons.push(sshd);
    const r = recordCollector(lab, labConfig(lab, { port: sshd.port, intervalSec: 1, timeoutSec: 8 }), {
      trustPorts: [sshd.port],
      staleToleranceMs: 1000,
    });
    collectors.push(r.collector);
    r.collector.start();
    await until('ok', () => r.collector.view.status === 'ok');
    signalTree(sshd, 'SIGSTOP');
    const frozenAt = Date.now();
    await until('stale', () => r.collector.view.status === 'stale', 6000);
    expect(Date.now() - frozenAt).toBeLessThan(4000);
    expect(r.collector.view.reason).toMatch(/^no data for \d+ s \(expected every 1 s\)$/);
    await until('unreachable after the timeout', () => r.collector.view.status === 'unreachable', 12_000);
    signalTree(sshd, 'SIGCONT');
    await until('ok again', () => r.collector.view.status === 'ok', 15_000);
  });

  it('refuses a replaced host key loudly and reads nothing', async () => {
    const lab = getLab();
    const first = await startSshd(lab);
    daemons.push(first);
    const r = recordCollector(lab, labConfig(lab, { port: first.port }), { trustPorts: [] });
    collectors.push(r.collector);
    r.keys.trust(lab.host, first.port, 'ssh-ed25519', first.fingerprint);
    expect((await r.collector.collectNow()).status).toBe('ok');
    const before = r.snapshots.length;
    await first.stop();
    r.collector.stop(); // drop the old connection, as a restart of the host would
    const second = await startSshd(lab, { port: first.port }); // same address, new key
    daemons.push(second);
    const view = await r.collector.collectNow();
    expect(view.status).toBe('hostkey-mismatch');
    expect(view.reason).toContain('HOST KEY CHANGED');
    expect(view.reason).toContain(second.fingerprint);
    expect(view.reason).toContain(first.fingerprint);
    expect(r.snapshots.length).toBe(before);
  });

  it('is degraded with the reason while libvirtd is stopped, and recovers when it is back', async () => {
    const lab = getLab();
    const r = recordCollector(lab, labConfig(lab));
    collectors.push(r.collector);
    expect((await r.collector.collectNow()).status).toBe('ok');
    const pidFile = join(lab.dir, 'libvirt', 'libvirtd.pid');
    const pid = Number(readFileSync(pidFile, 'utf8'));
    try {
      process.kill(pid, 'SIGTERM');
      await until('libvirtd gone', () => {
        try {
          process.kill(pid, 0);
          return false;
        } catch {
          return true;
        }
      });
      const view = await r.collector.collectNow();
      expect(view.status).toBe('degraded');
      expect(view.reason).toMatch(/^SSH works but virsh failed: error: failed to connect to the hypervisor/);
      expect(r.snapshots.at(-1)?.host?.cpus).toBeGreaterThan(0);
    } finally {
      execFileSync('bash', ['test/lab/lab-up.sh'], { env: { ...process.env, LAB_NO_INSTALL: '1' }, stdio: 'ignore' });
    }
    expect((await r.collector.collectNow()).status).toBe('ok');
  });

  it('reaches a host through a ProxyJump bastion named in ~/.ssh/config, trusting hashed known_hosts', async () => {
    const lab = getLab();
    const bastion = await startSshd(lab);
    daemons.push(bastion);
    const home = tempDir('home');
    const knownHosts = join(home, 'known_hosts');
    const pub = (file: string) => readFileSync(file, 'utf8').trim().split(' ').slice(0, 2).join(' ');
    writeFileSync(
      knownHosts,
      `[127.0.0.1]:${lab.ports[0]} ${pub(lab.hostPubKeyPath)}\n[127.0.0.1]:${bastion.port} ${pub(bastion.hostKeyPub)}\n`,
    );
    execFileSync('ssh-keygen', ['-H', '-f', knownHosts], { stdio: 'ignore' }); // hash the names, as HashKnownHosts does
    expect(readFileSync(knownHosts, 'utf8')).not.toContain('127.0.0.1');
    const sshConfig = [
      'Host labjump',
      '  HostName 127.0.0.1',
      `  Port ${bastion.port}`,
      '  User root',
      `  IdentityFile ${lab.keyPath}`,
      'Host labhv',
      '  HostName 127.0.0.1',
      `  Port ${lab.ports[0]}`,
      '  User vdmon',
      `  IdentityFile ${lab.keyPath}`,
      '  ProxyJump labjump',
      '',
    ].join('\n');
    const config = labConfig(lab, { address: 'labhv' });
    delete config.port;
    delete config.user;
    delete config.identityFile;
    const r = recordCollector(lab, config, { trustPorts: [], sshConfigText: sshConfig, knownHostsFiles: [knownHosts] });
    collectors.push(r.collector);
    const view = await r.collector.collectNow();
    expect(view.status, view.reason ?? '').toBe('ok');
    expect(view.resolved).toBe(`vdmon@127.0.0.1:${lab.ports[0]} via root@127.0.0.1:${bastion.port}`);
    expect(r.snapshots.at(-1)?.vms.map((v) => v.name)).toEqual(expect.arrayContaining(lab.domains));
    expect(fingerprintOf(bastion.hostKeyPub)).toBe(bastion.fingerprint);
    // the path really runs through the bastion: without it, the host is unreachable
    r.collector.stop();
    await bastion.stop();
    const after = await r.collector.collectNow();
    expect(after.status).toBe('unreachable');
  });
});
