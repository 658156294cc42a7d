// `virtdeck export` on a data directory, as an admin runs it (the built CLI, a real file).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HostConfigStore } from '../../src/main/config/host-config-store';
import { HistoryStore } from '../../src/main/store/history-store';
import { snapshot, vmFigures } from '../helpers/snapshots';
import { tempDir } from '../helpers/temp';

const cli = (args: string[]) =>
  spawnSync(process.execPath, [join(process.cwd(), 'out/main/headless.js'), 'export', ...args], { encoding: 'utf8' });

describe('virtdeck export', () => {
  const dataDir = tempDir('export');
  const host = new HostConfigStore(join(dataDir, 'hosts.json')).add({
    address: 'hv01.example.org',
    name: 'hv01',
    uri: 'qemu:///system',
    intervalSec: 10,
    timeoutSec: 5,
    enabled: true,
  });
  const t0 = Date.now() - 60 * 60_000;
  const store = new HistoryStore({ path: join(dataDir, 'history.db') });
  for (let i = 0; i < 6; i++) store.write(snapshot(host.id, t0 + i * 10_000, 2), 'hv01');
  store.close();

  it('writes the chosen VM series as CSV', () => {
    const out = join(dataDir, 'out.csv');
    const r = cli([
      '--data-dir',
      dataDir,
      '--host',
      'hv01',
      '--vm',
      'vm-1',
      '--metric',
      'cpu_pct,mem_pct',
      '--from',
      '2h',
      '--out',
      out,
    ]);
    expect(r.status, r.stderr).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('time,host,vm,uuid,metric,avg,min,max');
    expect(lines).toHaveLength(1 + 2 * 6);
    const cpu = vmFigures(1, t0 / 1000).cpuPct;
    expect(lines[1]).toBe(
      `${new Date(Math.round(t0 / 1000) * 1000).toISOString()},${host.id},vm-1,${vmFigures(1, 0).uuid},cpu_pct,${cpu},${cpu},${cpu}`,
    );
  });

  it('exports host series, and explains what is wrong', () => {
    const r = cli(['--data-dir', dataDir, '--host', 'hv01', '--metric', 'load1', '--from', '2h']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(7);
    const bad = cli(['--data-dir', dataDir, '--host', 'hv01', '--vm', 'vm-1', '--metric', 'load1']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/unknown metric\(s\) load1; choose from cpu_pct/);
    const noHost = cli(['--data-dir', dataDir, '--host', 'nope', '--metric', 'load1']);
    expect(noHost.stderr).toMatch(/no configured host 'nope' .* \(known: hv01\)/);
    const badTime = cli(['--data-dir', dataDir, '--host', 'hv01', '--metric', 'load1', '--from', 'yesterday-ish']);
    expect(badTime.stderr).toMatch(/'yesterday-ish' is not a time/);
  });
});
