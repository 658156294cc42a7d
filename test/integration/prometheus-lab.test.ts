// The scale-out path against the real lab and a real Prometheus 2.42: VirtDeck collects the lab
// host and serves /metrics (as `serve --metrics` does), Prometheus scrapes it with the serve
// token as a bearer token, its figures agree with VirtDeck's own, and VirtDeck's history query
// reads a range back from that Prometheus — or says clearly why not, with local data still there.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HOST_METRICS, VM_METRICS } from '../../src/shared/model/history';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newToken } from '../../src/main/headless/access-token';
import { startServer } from '../../src/main/headless/http-server';
import type { RunningServer } from '../../src/main/headless/http-server';
import { renderMetrics } from '../../src/main/prometheus/exposition';
import { createServices } from '../../src/main/services';
import type { Services } from '../../src/main/services';
import { describeWithLab } from '../helpers/lab';
import { labDataDir } from '../helpers/lab-data-dir';
import { prometheusMissing, startPrometheus, waitFor } from '../helpers/prometheus';
import type { TestPrometheus } from '../helpers/prometheus';
import { tempDir } from '../helpers/temp';

const ctx = { signal: new AbortController().signal };

describeWithLab('Prometheus and the lab', (getLab) => {
  let services: Services;
  let server: RunningServer;
  let prom: TestPrometheus;
  const token = newToken();
  let hostId = '';
  let uuid = '';
  let vm = '';

  beforeAll(async () => {
    const missing = prometheusMissing();
    if (missing) throw new Error(missing);
    const lab = getLab();
    vm = lab.domains[0] ?? '';
    uuid = execFileSync('virsh', ['-c', lab.uri, 'domuuid', vm], { encoding: 'utf8' }).trim();
    services = createServices({
      dataDir: labDataDir(lab, 1),
      mode: 'headless',
      version: 't',
      home: tempDir('home'),
      demo: false,
      log: () => undefined,
    });
    server = await startServer({
      host: '127.0.0.1',
      port: 0,
      token,
      rendererDir: tempDir('no-renderer'),
      services,
      log: () => undefined,
      metrics: () => renderMetrics(services.fleet.exposition()),
    });
    services.start();
    hostId = services.fleet.list()[0]?.config.id ?? '';
    // the exported rules too: Prometheus evaluates each over the real exposition
    const rulesFile = join(tempDir('rules'), 'virtdeck-rules.yml');
    writeFileSync(rulesFile, (await services.handlers['rules.exportPrometheus']({}, ctx)).yaml);
    prom = await startPrometheus({
      target: `127.0.0.1:${server.port}`,
      token,
      scrapeInterval: '1s',
      ruleFiles: [rulesFile],
    });
  });
  afterAll(async () => {
    await prom?.stop();
    await services?.stop();
    await server?.close();
  });

  it('serves /metrics with the token only, named and labelled like the libvirt exporters', async () => {
    const url = `http://127.0.0.1:${server.port}/metrics`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
    const text = await waitFor('a lab cycle in /metrics', async () => {
      const res = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain; version=0.0.4');
      const t = await res.text();
      return t.includes('libvirt_domain_info_cpu_time_seconds_total{') ? t : undefined;
    });
    expect(text).toContain('# TYPE libvirt_domain_info_cpu_time_seconds_total counter');
    expect(text).toContain('# TYPE libvirt_domain_info_memory_usage_bytes gauge');
    expect(text).toMatch(
      new RegExp(`libvirt_domain_info_cpu_time_seconds_total\\{host="lab",domain="${vm}",uuid="${uuid}"\\} \\d`),
    );
    expect(text).toMatch(/libvirt_domain_interface_stats_receive_bytes_total\{[^}]*target_device="[^"]+"\} \d/);
    expect(text).toContain('libvirt_up{host="lab"} 1');
    expect(text).toContain('virtdeck_host_status{host="lab",status="ok"} 1');
    expect(text).toContain('virtdeck_host_status{host="lab",status="unreachable"} 0');
    expect(text).toMatch(/virtdeck_collector_cycle_seconds\{host="lab"\} \d/);
    expect(text).toMatch(/virtdeck_host_cpu_seconds_total\{host="lab",mode="idle"\} \d/);
  });

  it("Prometheus's up is 1 and its CPU rate of a lab guest agrees with VirtDeck's CPU figure", async () => {
    await waitFor('up == 1', async () => ((await prom.query('up{job="virtdeck"}'))[0]?.value === 1 ? true : undefined));
    // rate()[1m] divides by the whole minute: wait until Prometheus holds a full minute of the
    // guest's counter (less would be extrapolated from a partial window and read low)
    await waitFor('a first sample', async () =>
      (await prom.query(`libvirt_domain_info_cpu_time_seconds_total{uuid="${uuid}"}`)).length ? true : undefined,
    );
    await new Promise((r) => setTimeout(r, 65_000));
    const at = Math.floor(Date.now() / 1000);
    const [rate] = await prom.query(`rate(libvirt_domain_info_cpu_time_seconds_total{uuid="${uuid}"}[1m])`, at);
    const [vcpus] = await prom.query(`libvirt_domain_info_virtual_cpus{uuid="${uuid}"}`, at);
    expect(rate && vcpus).toBeTruthy();
    const promPct = (100 * (rate?.value ?? NaN)) / (vcpus?.value ?? NaN);
    // VirtDeck's own figure over the same minute: the mean of its per-cycle cpu_pct in history
    services.history.flush();
    const local = await services.handlers['history.series'](
      {
        target: { kind: 'vm', hostId, uuid },
        metric: 'cpu_pct',
        from: (at - 60) * 1000,
        to: at * 1000,
        maxPoints: 1500,
      },
      ctx,
    );
    const values = local.avg.filter((v): v is number => v !== null);
    expect(values.length).toBeGreaterThan(20);
    const ownPct = values.reduce((a, b) => a + b, 0) / values.length;
    // Tolerance: both come from the same domstats counter readings, but Prometheus stamps a
    // value with its scrape time (up to one 1 s collector interval after VirtDeck read it) and
    // extrapolates rate() to the window's edges, while VirtDeck averages its per-cycle rates over
    // [at − 60 s, at]. Edge effects of ≤ 2 s at each end of a 60 s window are ≤ 2·2/60 ≈ 7 %
    // of the value; we allow 10 % relative plus 0.3 percentage points for an almost idle guest.
    expect(Math.abs(promPct - ownPct)).toBeLessThanOrEqual(0.1 * ownPct + 0.3);
  }, 150_000);

  it('reads a VM range back from Prometheus through history.series, and says so', async () => {
    const h = services.handlers;
    await h['settings.prometheus.set']({ url: prom.url, mode: 'always', token: 'not-needed-but-held' }, ctx);
    const settings = await h['settings.prometheus.get']({}, ctx);
    expect(settings).toMatchObject({ url: prom.url, mode: 'always', hasToken: true });
    expect(JSON.stringify(settings)).not.toContain('not-needed-but-held');
    const to = Date.now();
    const from = to - 120_000;
    const r = await h['history.series'](
      { target: { kind: 'vm', hostId, uuid }, metric: 'cpu_pct', from, to, maxPoints: 40 },
      ctx,
    );
    expect(r.source).toBe('prometheus');
    expect(r.sourceError).toBeUndefined();
    expect(r.ts.length).toBeLessThanOrEqual(40);
    expect(r.stepSec).toBe(Math.ceil(120 / 39));
    const got = r.avg.filter((v): v is number => v !== null);
    expect(got.length).toBeGreaterThan(5);
    for (const v of got) expect(v).toBeGreaterThanOrEqual(0);
    // host series by the host's name label
    const load = await h['history.series'](
      { target: { kind: 'host', hostId }, metric: 'mem_pct', from, to, maxPoints: 40 },
      ctx,
    );
    expect(load.source).toBe('prometheus');
    expect(load.avg.some((v) => v !== null && v > 0 && v < 100)).toBe(true);
    // a series Prometheus does not have: a clear error, local data still there
    const missing = await h['history.series'](
      {
        target: { kind: 'vm', hostId, uuid: '00000000-0000-4000-8000-000000000000' },
        metric: 'cpu_pct',
        from,
        to,
        maxPoints: 1500,
      },
      ctx,
    );
    expect(missing.source).toBe('local');
    expect(missing.sourceError).toMatch(/Prometheus has no cpu_pct data for VM 00000000-0000-4000-8000-000000000000/);
  });

  it('answers every chart metric of a VM and of the host from Prometheus', async () => {
    const h = services.handlers;
    const to = Date.now();
    const ask = async (
      target: { kind: 'vm'; hostId: string; uuid: string } | { kind: 'host'; hostId: string },
      metric: string,
    ) => {
      const r = await h['history.series']({ target, metric, from: to - 60_000, to, maxPoints: 30 }, ctx);
      return { metric, source: r.source, error: r.sourceError ?? null, some: r.avg.some((v) => v !== null) };
    };
    const answers = [
      ...(await Promise.all(VM_METRICS.map((m) => ask({ kind: 'vm', hostId, uuid }, m)))),
      ...(await Promise.all(HOST_METRICS.map((m) => ask({ kind: 'host', hostId }, m)))),
    ];
    for (const a of answers) expect(a, a.metric).toMatchObject({ source: 'prometheus', error: null, some: true });
  });

  it('evaluates every exported rule over the real series without an error', async () => {
    const groups = await waitFor('every rule evaluated', async () => {
      const res = await fetch(`${prom.url}/api/v1/rules`);
      const body = (await res.json()) as {
        data: { groups: { rules: { name: string; health: string; lastError?: string; lastEvaluation: string }[] }[] };
      };
      const rules = body.data.groups.flatMap((g) => g.rules);
      return rules.length && rules.every((r) => !r.lastEvaluation.startsWith('0001')) ? rules : undefined;
    });
    expect(groups.map((r) => r.name)).toContain('HighLoad');
    for (const r of groups)
      expect({ name: r.name, health: r.health, error: r.lastError ?? '' }).toEqual({
        name: r.name,
        health: 'ok',
        error: '',
      });
  });

  it('Prometheus stopped: the chart query returns local data and says Prometheus is unreachable', async () => {
    const h = services.handlers;
    await prom.stop();
    const to = Date.now();
    services.history.flush();
    const r = await h['history.series'](
      { target: { kind: 'vm', hostId, uuid }, metric: 'cpu_pct', from: to - 120_000, to, maxPoints: 1500 },
      ctx,
    );
    expect(r.source).toBe('local');
    expect(r.sourceError).toMatch(new RegExp(`Prometheus at ${prom.url} is unreachable \\(ECONNREFUSED\\)`));
    expect(r.sourceError).not.toContain('not-needed-but-held');
    expect(r.avg.filter((v) => v !== null).length).toBeGreaterThan(20);
  });
});
