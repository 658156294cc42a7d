// The collector against the real lab: sshd + libvirtd + TCG guests, read over SSH in one
// batched round trip per cycle. Ground truth comes from the local virsh at the same moment.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, expect, it } from 'vitest';
import type { HostCollector } from '../../src/main/collector/host-collector';
import { describeWithLab } from '../helpers/lab';
import type { Lab } from '../helpers/lab';
import { labConfig, recordCollector } from '../helpers/collector';
import { fingerprintOf, startSshd } from '../helpers/sshd';
import { tempDir } from '../helpers/temp';
import { parseDomStats } from '../../src/main/libvirt/parse-domstats';
import { parseListUuidName } from '../../src/main/libvirt/parse-list-uuid';
import { SshSession } from '../../src/main/ssh/ssh-session';

const virsh = (lab: Lab, ...args: string[]) =>
  execFileSync('virsh', ['-c', lab.uri, ...args], { encoding: 'utf8' }).trim();

const collectors: HostCollector[] = [];
afterEach(() => collectors.splice(0).forEach((c) => c.stop()));

describeWithLab('collector against the lab', (getLab) => {
  afterAll(() => {
    // leave the lab as lab-up.sh made it: every guest running
    const lab = getLab();
    for (const d of lab.domains) {
      const state = virsh(lab, 'domstate', d);
      if (state === 'paused') virsh(lab, 'resume', d);
      else if (state !== 'running') virsh(lab, 'start', d);
    }
  });

  it.each(['vdmon', 'root'])('collects every guest with its UUID and live figures as %s', async (user) => {
    const lab = getLab();
    const r = recordCollector(lab, labConfig(lab, { user }));
    collectors.push(r.collector);
    const first = await r.collector.collectNow();
    expect(first.status, first.reason ?? '').toBe('ok');
    await new Promise((res) => setTimeout(res, 1500));
    const view = await r.collector.collectNow();
    expect(view.status).toBe('ok');
    expect(view.resolved).toBe(`${user}@127.0.0.1:${lab.ports[0]}`);
    const snap = r.snapshots.at(-1);
    expect(snap?.hostId).toBe(r.collector.config.id);
    for (const d of lab.domains) {
      const vm = snap?.vms.find((v) => v.name === d);
      expect(vm, d).toBeDefined();
      if (!vm) continue;
      expect(vm.uuid).toBe(virsh(lab, 'domuuid', d));
      expect(vm.state).toBe(virsh(lab, 'domstate', d));
      expect(vm.autostart).toBe(virsh(lab, 'dominfo', d).includes('Autostart:      enable'));
      if (vm.state !== 'running') continue;
      expect(vm.vcpus).toBe(1);
      expect(vm.cpuPct).not.toBeNull();
      expect(vm.cpuPct ?? -1).toBeGreaterThanOrEqual(0);
      expect(vm.cpuPct ?? Infinity).toBeLessThanOrEqual(100 * (vm.vcpus ?? 1) * 1.05);
      expect(vm.stealPct).not.toBeNull();
      // no balloon driver in the tiny guests: memory comes from QEMU's RSS, and says so
      expect(vm.memSource).toBe('rss');
      expect(vm.memPct ?? -1).toBeGreaterThan(0);
      expect(vm.netRxBps).not.toBeNull(); // tap NIC: a rate exists (0 B/s when idle)
      expect(vm.diskReadBps).not.toBeNull();
      expect(vm.disks.map((x) => x.name)).toEqual(['vda']);
    }
    const h = snap?.host;
    expect(h?.cpus).toBe(Number(execFileSync('nproc', { encoding: 'utf8' })));
    expect(h?.cpuPct).not.toBeNull();
    expect(h?.memTotalKiB).toBeGreaterThan(0);
    expect(h?.load1).not.toBeNull();
    expect(h?.libvirtVersion).toMatch(/^\d+\.\d+\.\d+$/);
    expect(h?.vmCounts.running).toBeGreaterThanOrEqual(lab.domains.length);
    expect(snap?.warnings).toEqual([]);
  });

  it('parses what the lab prints right now without a single warning', async () => {
    const lab = getLab();
    const session = new SshSession({
      address: lab.host,
      port: lab.ports[0] ?? 0,
      user: 'vdmon',
      auth: { identityFiles: [lab.keyPath] },
      verifyHostKey: () => ({ kind: 'trusted' }),
    });
    try {
      const stats = await session.exec(['virsh', '-c', lab.uri, 'domstats', '--raw', '--nowait'], { timeoutMs: 5000 });
      const parsed = parseDomStats(stats.stdout);
      expect(parsed.warnings).toEqual([]);
      const names = virsh(lab, 'list', '--all', '--name').split('\n').filter(Boolean).sort();
      expect(parsed.domains.map((d) => d.name).sort()).toEqual(names);
      const list = await session.exec(['virsh', '-c', lab.uri, 'list', '--all', '--uuid', '--name'], {
        timeoutMs: 5000,
      });
      const uuids = parseListUuidName(list.stdout);
      expect(uuids.warnings).toEqual([]);
      for (const { name, uuid } of uuids.items) expect(uuid).toBe(virsh(lab, 'domuuid', '--', name));
    } finally {
      session.close();
    }
  });

  it('reports storage pools with exact sizes, whatever their names', async () => {
    const lab = getLab();
    const name = 'vd test pool «α»';
    const dir = tempDir('pool');
    virsh(lab, 'pool-define-as', '--name', name, '--type', 'dir', '--target', dir);
    try {
      virsh(lab, 'pool-start', '--pool', name);
      const r = recordCollector(lab, labConfig(lab));
      collectors.push(r.collector);
      await r.collector.collectNow();
      const pool = r.snapshots.at(-1)?.host?.pools.find((p) => p.name === name);
      expect(pool, JSON.stringify(r.snapshots.at(-1)?.warnings)).toBeDefined();
      const info = virsh(lab, 'pool-info', '--bytes', '--pool', name);
      const bytes = (label: string) => Number(new RegExp(`^${label}:\\s+(\\d+)`, 'm').exec(info)?.[1]);
      expect(pool?.state).toBe('running');
      expect(pool?.capacityBytes).toBe(bytes('Capacity'));
      expect(pool?.usedPct).toBeGreaterThan(0);
      expect(r.snapshots.at(-1)?.warnings).toEqual([]);
    } finally {
      execFileSync('virsh', ['-c', lab.uri, 'pool-destroy', '--pool', name], { stdio: 'ignore' });
      execFileSync('virsh', ['-c', lab.uri, 'pool-undefine', '--pool', name], { stdio: 'ignore' });
    }
  });

  it('sees suspend, resume and destroy in the next cycle, with libvirt’s reason', async () => {
    const lab = getLab();
    const d = lab.domains[lab.domains.length - 1] ?? 'lab-vm03';
    const r = recordCollector(lab, labConfig(lab));
    collectors.push(r.collector);
    const stateOf = async () => {
      await r.collector.collectNow();
      const vm = r.snapshots.at(-1)?.vms.find((v) => v.name === d);
      return `${vm?.state}/${vm?.reason}`;
    };
    expect(await stateOf()).toMatch(/^running\//);
    virsh(lab, 'suspend', d);
    expect(await stateOf()).toBe('paused/user');
    virsh(lab, 'resume', d);
    expect(await stateOf()).toBe('running/unpaused');
    virsh(lab, 'destroy', d);
    expect(await stateOf()).toBe('shut off/destroyed');
    const off = r.snapshots.at(-1)?.vms.find((v) => v.name === d);
    expect(off?.cpuPct).toBe(0); // a stopped VM uses no CPU: 0, not "unknown"
    virsh(lab, 'start', d);
    expect(await stateOf()).toBe('running/booted');
  });

  it('collects VMs with hostile names exactly, and runs nothing in them', async () => {
    const lab = getLab();
    const hostile = [`a b'c"$(touch vd-pwned1);\`touch vd-pwned2\``, '数据库-主机 01'];
    const home = join(lab.dir, 'home', 'vdmon');
    const escapeXml = (s: string) =>
      s
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/'/g, '&apos;')
        .replace(/"/g, '&quot;');
    const xmlDir = tempDir('hostile');
    try {
      for (const [i, name] of hostile.entries()) {
        const xml =
          `<domain type='qemu'><name>${escapeXml(name)}</name><memory unit='MiB'>32</memory><vcpu>1</vcpu>` +
          `<os><type arch='x86_64' machine='pc'>hvm</type></os><devices><emulator>/usr/bin/qemu-system-x86_64</emulator>` +
          `<serial type='null'/><video><model type='none'/></video></devices></domain>`;
        const file = join(xmlDir, `d${i}.xml`);
        writeFileSync(file, xml);
        virsh(lab, 'define', file);
      }
      virsh(lab, 'start', '--', hostile[0] ?? '');
      const r = recordCollector(lab, labConfig(lab));
      collectors.push(r.collector);
      await r.collector.collectNow();
      await r.collector.collectNow();
      const snap = r.snapshots.at(-1);
      const names = snap?.vms.map((v) => v.name) ?? [];
      for (const name of hostile) expect(names).toContain(name);
      const vm0 = snap?.vms.find((v) => v.name === hostile[0]);
      expect(vm0?.state).toBe('running');
      expect(vm0?.uuid).toBe(virsh(lab, 'domuuid', '--', hostile[0] ?? ''));
      expect(snap?.vms.find((v) => v.name === hostile[1])?.state).toBe('shut off');
      for (const f of ['vd-pwned1', 'vd-pwned2']) {
        expect(existsSync(join(home, f))).toBe(false);
        expect(existsSync(join('/root', f))).toBe(false);
      }
    } finally {
      for (const name of hostile) {
        try {
          execFileSync('virsh', ['-c', lab.uri, 'destroy', '--', name], { stdio: 'ignore' });
        } catch {
          // was not running
        }
        try {
          execFileSync('virsh', ['-c', lab.uri, 'undefine', '--', name], { stdio: 'ignore' });
        } catch {
          // was never defined
        }
      }
    }
  });

  it('waits for a decision on an unknown key, showing the fingerprint ssh-keygen shows', async () => {
    const lab = getLab();
    const r = recordCollector(lab, labConfig(lab), { trustPorts: [] });
    collectors.push(r.collector);
    const view = await r.collector.collectNow();
    expect(view.status).toBe('hostkey-unknown');
    expect(view.pendingHostKey).toEqual({
      host: lab.host,
      port: lab.ports[0],
      algorithm: 'ssh-ed25519',
      fingerprint: fingerprintOf(lab.hostPubKeyPath),
    });
    expect(r.snapshots).toEqual([]); // nothing was read
  });

  it('reports a rejected key as an authentication failure, and a missing key file plainly', async () => {
    const lab = getLab();
    const wrongKey = join(tempDir('wrongkey'), 'id_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', wrongKey]);
    const r = recordCollector(lab, labConfig(lab, { identityFile: wrongKey }));
    collectors.push(r.collector);
    const view = await r.collector.collectNow();
    expect(view.status).toBe('unreachable');
    expect(view.reason).toMatch(/authentication failed/);

    const r2 = recordCollector(lab, labConfig(lab, { identityFile: '/nonexistent/key' }));
    collectors.push(r2.collector);
    const v2 = await r2.collector.collectNow();
    expect(v2.status).toBe('unreachable');
    expect(v2.reason).toBe('key file /nonexistent/key cannot be read (ENOENT)');
  });

  it('asks for the passphrase of an encrypted key, and uses it once given', async () => {
    const lab = getLab();
    const key = join(tempDir('enckey'), 'id_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'correct horse', '-f', key]);
    const sshd = await startSshd(lab, {
      hostKey: join(lab.dir, 'ssh', 'host_ed25519_key'),
      authorizedKeys: `${key}.pub`,
    });
    try {
      const r = recordCollector(lab, labConfig(lab, { port: sshd.port, identityFile: key }), {
        trustPorts: [sshd.port],
      });
      collectors.push(r.collector);
      const view = await r.collector.collectNow();
      expect(view.status).toBe('unreachable');
      expect(view.reason).toBe(`key file ${key} is encrypted: a passphrase is needed`);
      expect(view.needsSecret).toBe('passphrase');
      r.secrets.set(r.collector.config.id, { passphrase: 'wrong' });
      const wrong = await r.collector.collectNow();
      expect(wrong.reason).toBe(`key file ${key} is encrypted: the passphrase is wrong`);
      expect(wrong.needsSecret).toBe('passphrase');
      r.secrets.set(r.collector.config.id, { passphrase: 'correct horse' });
      const good = await r.collector.collectNow();
      expect(good.status, good.reason ?? '').toBe('ok');
      expect(good.needsSecret).toBeNull();
    } finally {
      await sshd.stop();
    }
  });

  it('is degraded, with virsh’s reason, when SSH works but libvirt does not answer', async () => {
    const lab = getLab();
    const r = recordCollector(lab, labConfig(lab, { uri: 'qemu+unix:///system?socket=/nonexistent/libvirt-sock' }));
    collectors.push(r.collector);
    const view = await r.collector.collectNow();
    expect(view.status).toBe('degraded');
    expect(view.reason).toMatch(/^SSH works but virsh failed: error: /);
    expect(r.snapshots.at(-1)?.host?.memTotalKiB).toBeGreaterThan(0); // host figures still arrive
  });

  it('reuses one SSH connection and one remote shell across cycles', async () => {
    const lab = getLab();
    const r = recordCollector(lab, labConfig(lab));
    collectors.push(r.collector);
    const log = join(lab.dir, 'ssh', `sshd.${lab.ports[0]}.log`);
    const accepted = () => (readFileSync(log, 'utf8').match(/Accepted publickey/g) ?? []).length;
    await r.collector.collectNow();
    const before = accepted();
    expect(before).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++) expect((await r.collector.collectNow()).status).toBe('ok');
    expect(accepted()).toBe(before);
  });
});
