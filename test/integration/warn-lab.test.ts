// The warn engine on the real lab: a guest suspended while expected to run fires within a cycle
// and resolves when resumed; a host whose sshd dies alerts and recovers. Real sshd, libvirtd,
// QEMU guest, SQLite, notifier log.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { Alert } from '../../src/shared/model/warn';
import { createServices } from '../../src/main/services';
import type { Services } from '../../src/main/services';
import { describeWithLab } from '../helpers/lab';
import { processTree, startSshd } from '../helpers/sshd';
import type { TestSshd } from '../helpers/sshd';
import { tempDir } from '../helpers/temp';

const ctx = { signal: new AbortController().signal };

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describeWithLab('warn engine on the lab', (getLab) => {
  let services: Services | undefined;
  let sshd: TestSshd | undefined;
  const suspended: string[] = [];
  afterAll(async () => {
    const lab = getLab();
    for (const d of suspended) execFileSync('virsh', ['-c', lab.uri, 'resume', d], { stdio: 'ignore' });
    await services?.stop();
    await sshd?.stop();
  });

  it('suspended guest → firing, resumed → resolved; sshd killed → host alert, restored → resolved', async () => {
    const lab = getLab();
    const guest = lab.domains.at(-1) ?? '';
    sshd = await startSshd(lab);
    const dataDir = tempDir('warnlab');
    services = createServices({ dataDir, mode: 'headless', version: 't', home: tempDir('home'), warnTickMs: 250 });
    const h = services.handlers;
    const changes: Alert[] = [];
    services.hub.subscribe((event, payload) => {
      if (event === 'alert.changed') changes.push(payload as Alert);
    });
    const view = await h['hosts.add'](
      {
        name: 'lab',
        address: '127.0.0.1',
        port: sshd.port,
        user: 'root',
        identityFile: lab.keyPath,
        uri: lab.uri,
        intervalSec: 1,
        timeoutSec: 5,
        enabled: true,
      },
      ctx,
    );
    const id = view.config.id;
    const pending = (await h['hosts.refresh']({ id }, ctx)).pendingHostKey;
    await h['hosts.trustHostKey']({ id, fingerprint: pending?.fingerprint ?? '' }, ctx);
    services.start();
    const active = () => h['alerts.list']({ state: 'active', limit: 100 }, ctx) as Alert[];
    // two cycles with the guest running: VirtDeck now expects it to run
    await until('two cycles with the guest running', () => {
      const snap = services?.fleet.latest()[0];
      const vm = snap?.vms.find((v) => v.name === guest);
      return vm?.state === 'running' && vm.cpuPct !== null ? true : undefined;
    });
    expect(active().filter((a) => a.state === 'firing')).toEqual([]);

    execFileSync('virsh', ['-c', lab.uri, 'suspend', guest]);
    suspended.push(guest);
    const down = await until('the VM-down alert', () =>
      active().find((a) => a.ruleId === 'vm-down' && a.target.name === guest && a.state === 'firing'),
    );
    expect(down.id).toBeGreaterThan(0);
    expect(down.severity).toBe('warning');
    expect(down.reason).toMatch(
      new RegExp(`VM '${guest}' on 'lab' is paused .*it was running and was not stopped through VirtDeck`),
    );

    execFileSync('virsh', ['-c', lab.uri, 'resume', guest]);
    suspended.pop();
    await until('the VM-down alert to resolve', () =>
      changes.find((a) => a.id === down.id && a.state === 'resolved') ? true : undefined,
    );
    expect(services.warn.alerts.get(down.id)).toMatchObject({ state: 'resolved' });

    // the host's sshd dies (listener and the open connection): the host is unreachable
    const port = sshd.port;
    const hostKey = join(sshd.dir, 'host_key');
    for (const pid of processTree(sshd.child.pid ?? 0).reverse()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    const unreachable = await until('the host-unreachable alert', () =>
      active().find((a) => a.ruleId === 'host-unreachable' && a.state === 'firing'),
    );
    expect(unreachable.severity).toBe('critical');
    expect(unreachable.reason).toMatch(/host 'lab' is unreachable: .+/);

    sshd = await startSshd(lab, { port, hostKey });
    await Promise.resolve(h['hosts.refresh']({ id }, ctx)).catch(() => undefined);
    await until('the host alert to resolve', () =>
      changes.find((a) => a.id === unreachable.id && a.state === 'resolved') ? true : undefined,
    );
    // every fired and resolved transition reached the log notifier, once
    await services.warn.dispatcher.drain();
    const log = readFileSync(join(dataDir, 'alerts.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { rule: string; current: string });
    expect(log.map((l) => `${l.rule} ${l.current}`)).toEqual([
      'vm-down firing',
      'vm-down resolved',
      'host-unreachable firing',
      'host-unreachable resolved',
    ]);
  });
});
