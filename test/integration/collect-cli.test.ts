// `virtdeck collect` as an admin runs it against the lab: JSON with every guest and real rates,
// the table view, and a clear refusal of an unknown host key without --accept-new-hostkey.
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeWithLab } from '../helpers/lab';
import { tempDir } from '../helpers/transports';

const cli = (args: string[]) =>
  spawnSync(process.execPath, [join(process.cwd(), 'out/main/headless.js'), 'collect', ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, HOME: tempDir('clihome') },
  });

describeWithLab('virtdeck collect', (getLab) => {
  it('refuses an unknown host key without --accept-new-hostkey, naming its fingerprint', () => {
    const lab = getLab();
    const r = cli([
      '--host',
      `vdmon@127.0.0.1:${lab.ports[0]}`,
      '--identity',
      lab.keyPath,
      '--once',
      '--data-dir',
      tempDir('cli'),
    ]);
    expect(r.status).toBe(2);
    const fp = execFileSync('ssh-keygen', ['-lf', lab.hostPubKeyPath], { encoding: 'utf8' }).split(' ')[1] ?? '';
    expect(r.stderr).toContain(`unknown host key ${fp}`);
    expect(r.stderr).toContain('--accept-new-hostkey');
  });

  it('--once --json returns every guest with non-null rates', () => {
    const lab = getLab();
    const r = cli([
      '--host',
      `ssh://vdmon@127.0.0.1:${lab.ports[0]}`,
      '--identity',
      lab.keyPath,
      '--once',
      '--json',
      '--accept-new-hostkey',
      '--data-dir',
      tempDir('cli'),
    ]);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      host: { status: string };
      figures: { cpuPct: number | null; cpus: number };
      vms: { name: string; uuid: string; cpuPct: number | null; netRxBps: number | null; diskReadBps: number | null }[];
    };
    expect(out.host.status).toBe('ok');
    expect(out.figures.cpuPct).not.toBeNull();
    for (const d of lab.domains) {
      const vm = out.vms.find((v) => v.name === d);
      expect(vm, d).toBeDefined();
      expect(vm?.uuid).toMatch(/^[0-9a-f-]{36}$/);
      expect(vm?.cpuPct).not.toBeNull();
      expect(vm?.netRxBps).not.toBeNull();
      expect(vm?.diskReadBps).not.toBeNull();
    }
  });

  it('prints a compact table by default', () => {
    const lab = getLab();
    const r = cli([
      '--host',
      `vdmon@127.0.0.1:${lab.ports[0]}`,
      '--identity',
      lab.keyPath,
      '--once',
      '--accept-new-hostkey',
      '--data-dir',
      tempDir('cli'),
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^NAME\s+STATE\s+CPU\s+STEAL\s+MEM/m);
    for (const d of lab.domains) expect(r.stdout).toMatch(new RegExp(`^${d}\\s+running\\s+\\d+\\.\\d %`, 'm'));
  });

  it('explains bad arguments', () => {
    const r = cli(['--once']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^virtdeck: --host is required/);
  });
});
