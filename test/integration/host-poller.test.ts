// The foundation slice against the real lab: sshd + libvirtd + 3 TCG guests, read over SSH with
// `virsh -c qemu:///system list --all`, with host-key trust, auth and virsh failures.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { HostConfig, HostView } from '../../src/shared/model/host';
import { HostPoller } from '../../src/main/collector/host-poller';
import { HostKeyStore } from '../../src/main/ssh/host-key-store';
import { describeWithLab } from '../helpers/lab';
import type { Lab } from '../helpers/lab';
import { tempDir } from '../helpers/transports';

function labFingerprint(lab: Lab): string {
  // `ssh-keygen -lf` prints "256 SHA256:… comment (ED25519)"
  const out = execFileSync('ssh-keygen', ['-lf', lab.hostPubKeyPath], { encoding: 'utf8' });
  const fp = out.split(' ')[1];
  if (!fp?.startsWith('SHA256:')) throw new Error(`unexpected ssh-keygen output: ${out}`);
  return fp;
}

function config(lab: Lab, over: Partial<HostConfig> = {}): HostConfig {
  return {
    id: 'lab',
    name: 'lab',
    address: lab.host,
    port: lab.ports[0] ?? 0,
    user: 'vdmon',
    identityFile: lab.keyPath,
    uri: lab.uri,
    intervalSec: 10,
    enabled: true,
    simulated: false,
    ...over,
  };
}

const pollers: HostPoller[] = [];
afterEach(() => pollers.splice(0).forEach((p) => p.stop()));

function poller(c: HostConfig, keys: HostKeyStore, updates: HostView[] = []): HostPoller {
  const p = new HostPoller(c, { hostKeys: keys, onUpdate: (v) => updates.push(v) });
  pollers.push(p);
  return p;
}

describeWithLab('host poller against the lab', (getLab) => {
  it('waits for a decision on an unknown host key, showing the fingerprint ssh-keygen shows', async () => {
    const lab = getLab();
    const keys = new HostKeyStore(join(tempDir('keys'), 'trusted.json'));
    const view = await poller(config(lab), keys).pollNow();
    expect(view.status).toBe('hostkey-unknown');
    expect(view.pendingHostKey).toEqual({ algorithm: 'ssh-ed25519', fingerprint: labFingerprint(lab) });
    expect(view.vms).toEqual([]);
  });

  it.each(['vdmon', 'root'])('lists the 3 lab guests with their state as %s once the key is trusted', async (user) => {
    const lab = getLab();
    const keys = new HostKeyStore(join(tempDir('keys'), 'trusted.json'));
    keys.trust(lab.host, lab.ports[0] ?? 0, 'ssh-ed25519', labFingerprint(lab));
    const updates: HostView[] = [];
    const view = await poller(config(lab, { user }), keys, updates).pollNow();
    expect(view.status, view.reason ?? '').toBe('ok');
    expect(view.lastSeen).toBeGreaterThan(Date.now() - 10_000);
    const names = view.vms.map((v) => v.name);
    for (const d of lab.domains) expect(names).toContain(d);
    const states = Object.fromEntries(view.vms.map((v) => [v.name, v.state]));
    for (const d of lab.domains) {
      // ground truth from the local virsh, read the same moment
      const truth = execFileSync('virsh', ['-c', lab.uri, 'domstate', d], { encoding: 'utf8' }).trim();
      expect(states[d]).toBe(truth);
    }
    expect(updates.at(-1)).toEqual(view);
  });

  it('refuses a changed host key loudly and reads nothing', async () => {
    const lab = getLab();
    const keys = new HostKeyStore(join(tempDir('keys'), 'trusted.json'));
    keys.trust(lab.host, lab.ports[0] ?? 0, 'ssh-ed25519', 'SHA256:' + 'Q'.repeat(43));
    const view = await poller(config(lab), keys).pollNow();
    expect(view.status).toBe('hostkey-mismatch');
    expect(view.reason).toMatch(/HOST KEY CHANGED/);
    expect(view.reason).toContain(labFingerprint(lab));
    expect(view.vms).toEqual([]);
  });

  it('reports a key the server does not accept as an authentication failure', async () => {
    const lab = getLab();
    const keys = new HostKeyStore(join(tempDir('keys'), 'trusted.json'));
    keys.trust(lab.host, lab.ports[0] ?? 0, 'ssh-ed25519', labFingerprint(lab));
    const wrongKey = join(tempDir('wrongkey'), 'id_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', wrongKey]);
    const view = await poller(config(lab, { identityFile: wrongKey }), keys).pollNow();
    expect(view.status).toBe('unreachable');
    expect(view.reason).toMatch(/authentication failed/);
  });

  it('reports a missing key file plainly', async () => {
    const lab = getLab();
    const keys = new HostKeyStore(join(tempDir('keys'), 'trusted.json'));
    const view = await poller(config(lab, { identityFile: '/nonexistent/key' }), keys).pollNow();
    expect(view.status).toBe('unreachable');
    expect(view.reason).toBe('key file /nonexistent/key cannot be read (ENOENT)');
  });

  it('is degraded, with virsh’s own reason, when SSH works but libvirt does not answer', async () => {
    const lab = getLab();
    const keys = new HostKeyStore(join(tempDir('keys'), 'trusted.json'));
    keys.trust(lab.host, lab.ports[0] ?? 0, 'ssh-ed25519', labFingerprint(lab));
    const view = await poller(config(lab, { uri: 'qemu+unix:///system?socket=/nonexistent/sock' }), keys).pollNow();
    expect(view.status).toBe('degraded');
    expect(view.reason).toMatch(/^SSH works but virsh failed: error: /);
  });

  it('reuses one SSH connection across polls', async () => {
    const lab = getLab();
    const keys = new HostKeyStore(join(tempDir('keys'), 'trusted.json'));
    keys.trust(lab.host, lab.ports[0] ?? 0, 'ssh-ed25519', labFingerprint(lab));
    const p = poller(config(lab), keys);
    const log = join(lab.dir, 'ssh', `sshd.${lab.ports[0]}.log`);
    const accepted = () => (execFileSync('cat', [log], { encoding: 'utf8' }).match(/Accepted publickey/g) ?? []).length;
    await p.pollNow();
    const before = accepted();
    expect(before).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++) expect((await p.pollNow()).status).toBe('ok');
    expect(accepted()).toBe(before);
  });
});
