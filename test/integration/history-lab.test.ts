// From the lab to the history file and back: the real services collect the lab host, each cycle
// is stored, and the contract reads the series, the latest values and a CSV back.
import { execFileSync } from 'node:child_process';
import { afterAll, expect, it } from 'vitest';
import { createServices } from '../../src/main/services';
import type { Services } from '../../src/main/services';
import { describeWithLab } from '../helpers/lab';
import { tempDir } from '../helpers/temp';

describeWithLab('history of the lab', (getLab) => {
  let services: Services | undefined;
  afterAll(async () => services?.stop());

  it('stores every cycle and reads it back through the contract handlers', async () => {
    const lab = getLab();
    services = createServices({ dataDir: tempDir('hist'), mode: 'headless', version: 't', home: tempDir('home') });
    const h = services.handlers;
    const view = await h['hosts.add'](
      {
        address: lab.host,
        port: lab.ports[0] ?? 0,
        user: 'vdmon',
        identityFile: lab.keyPath,
        uri: lab.uri,
        intervalSec: 10,
        timeoutSec: 5,
        enabled: true,
      },
      { signal: new AbortController().signal },
    );
    const id = view.config.id;
    const pending = (await h['hosts.refresh']({ id }, { signal: new AbortController().signal })).pendingHostKey;
    expect(pending).not.toBeNull();
    await h['hosts.trustHostKey'](
      { id, fingerprint: pending?.fingerprint ?? '' },
      { signal: new AbortController().signal },
    );
    await new Promise((r) => setTimeout(r, 1100));
    await h['hosts.refresh']({ id }, { signal: new AbortController().signal });
    services.history.flush(); // what the once-a-second flush would do
    const snaps = await h['metrics.latest']({}, { signal: new AbortController().signal });
    const vm = snaps[0]?.vms.find((v) => v.name === lab.domains[0]);
    expect(vm?.uuid).toBe(
      execFileSync('virsh', ['-c', lab.uri, 'domuuid', lab.domains[0] ?? ''], { encoding: 'utf8' }).trim(),
    );
    const target = { kind: 'vm' as const, hostId: id, uuid: vm?.uuid ?? '' };
    const now = Date.now();
    const series = await h['history.series'](
      { target, metric: 'cpu_pct', from: now - 600_000, to: now + 1000, maxPoints: 1500 },
      { signal: new AbortController().signal },
    );
    expect(series.tier).toBe('raw');
    expect(series.ts.length).toBe(2);
    expect(series.avg[1]).toBeCloseTo(vm?.cpuPct ?? NaN, 2);
    const last = await h['history.last']({ metric: 'cpu_pct' }, { signal: new AbortController().signal });
    expect(last.map((l) => l.name).sort()).toEqual([...lab.domains].sort());
    const csv = await h['history.export'](
      {
        series: [
          { target, metric: 'cpu_pct' },
          { target: { kind: 'host', hostId: id }, metric: 'load1' },
        ],
        from: now - 600_000,
        to: now + 1000,
      },
      { signal: new AbortController().signal },
    );
    expect(csv.rows).toBe(4);
    expect(csv.csv).toContain(`,${lab.domains[0]},${vm?.uuid},cpu_pct,`);
    expect((await h['history.status']({}, { signal: new AbortController().signal })).ok).toBe(true);
  });
});
