// Every way to log in, against real sshd instances: ssh-agent, password, and what an admin
// sees when they fail. Secrets never show up in what VirtDeck reports.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { HostCollector } from '../../src/main/collector/host-collector';
import { describeWithLab } from '../helpers/lab';
import { labConfig, recordCollector } from '../helpers/collector';
import { startSshd } from '../helpers/sshd';
import type { TestSshd } from '../helpers/sshd';
import { tempDir } from '../helpers/temp';

const collectors: HostCollector[] = [];
const daemons: TestSshd[] = [];
afterEach(async () => {
  collectors.splice(0).forEach((c) => c.stop());
  for (const d of daemons.splice(0)) await d.stop();
});

describeWithLab('collector authentication', (getLab) => {
  it('logs in through ssh-agent when no key file is given', async () => {
    const lab = getLab();
    const sock = join(tempDir('agent'), 'agent.sock');
    const agent = spawnSync('ssh-agent', ['-a', sock, '-s'], { encoding: 'utf8' });
    const pid = Number(/SSH_AGENT_PID=(\d+)/.exec(agent.stdout)?.[1]);
    const saved = process.env.SSH_AUTH_SOCK;
    try {
      execFileSync('ssh-add', [lab.keyPath], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: 'ignore' });
      process.env.SSH_AUTH_SOCK = sock;
      const config = labConfig(lab);
      delete config.identityFile;
      const r = recordCollector(lab, config);
      collectors.push(r.collector);
      // the collector's home has no default key files: only the agent can log in
      const view = await r.collector.collectNow();
      expect(view.status, view.reason ?? '').toBe('ok');
    } finally {
      if (saved === undefined) delete process.env.SSH_AUTH_SOCK;
      else process.env.SSH_AUTH_SOCK = saved;
      if (pid) process.kill(pid);
    }
  });

  /**
   * A wrong password is refused, the right one logs in, and neither appears in any view or
   * snapshot. Returns the sshd, whose log tells which method let us in.
   */
  async function passwordLogin(password: string, keyboardInteractive: boolean): Promise<TestSshd> {
    const lab = getLab();
    const sshd = await startSshd(lab, {
      hostKey: join(lab.dir, 'ssh', 'host_ed25519_key'),
      authorizedKeys: join(lab.dir, 'ssh', 'host_ed25519_key.pub'), // no usable key: password only
      password,
      keyboardInteractive,
    });
    daemons.push(sshd);
    const config = labConfig(lab, { port: sshd.port });
    delete config.identityFile;
    const r = recordCollector(lab, config, { trustPorts: [sshd.port] });
    collectors.push(r.collector);
    const saved = process.env.SSH_AUTH_SOCK;
    delete process.env.SSH_AUTH_SOCK;
    try {
      // no password held: the server's answer to "none" says it takes one, so the UI asks
      const none = await r.collector.collectNow();
      expect(none.status).toBe('unreachable');
      expect(none.needsSecret).toBe('password');
      expect(none.secrets).toEqual({ password: false, passphrase: false });
      r.secrets.set(config.id, { password: 'wrong password' });
      const bad = await r.collector.collectNow();
      expect(bad.status).toBe('unreachable');
      expect(bad.reason).toMatch(/authentication failed/);
      expect(bad.needsSecret).toBe('password'); // asked again
      r.secrets.set(config.id, { password });
      const good = await r.collector.collectNow();
      expect(good.status, good.reason ?? '').toBe('ok');
      expect(good.needsSecret).toBeNull();
      expect(good.secrets).toEqual({ password: true, passphrase: false });
      const everything = JSON.stringify([r.views, r.snapshots]);
      expect(everything).not.toContain(password);
      expect(everything).not.toContain('wrong password');
    } finally {
      if (saved !== undefined) process.env.SSH_AUTH_SOCK = saved;
    }
    return sshd;
  }

  it('logs in with a password held for the session, and never repeats it', async () => {
    await passwordLogin('S3cret-pa$$ "quoted" 密码', false);
  });

  it('answers a keyboard-interactive (PAM) password prompt with the session password', async () => {
    const sshd = await passwordLogin('kbd-S3cret "q" 密码', true);
    // the server offered keyboard-interactive only: sshd's log says which method let us in
    expect(readFileSync(join(sshd.dir, 'sshd.log'), 'utf8')).toMatch(/Accepted keyboard-interactive\/pam for vdmon/);
  });

  it('says there is no way to log in when there is no key, agent or password', async () => {
    const lab = getLab();
    const config = labConfig(lab);
    delete config.identityFile;
    const saved = process.env.SSH_AUTH_SOCK;
    delete process.env.SSH_AUTH_SOCK;
    try {
      const r = recordCollector(lab, config);
      collectors.push(r.collector);
      const view = await r.collector.collectNow();
      expect(view.status).toBe('unreachable');
      expect(view.reason).toMatch(/no way to log in \(no readable key file, no ssh-agent, no password\)/);
      // the lab's sshd takes keys only: no password would help, so none is asked for
      expect(view.needsSecret).toBeNull();
    } finally {
      if (saved !== undefined) process.env.SSH_AUTH_SOCK = saved;
    }
  });
});
