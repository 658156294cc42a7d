// Prometheus end to end: `serve --metrics` against the real lab, a real Prometheus scraping it
// with the serve token and holding six older hours of the guest (backfilled with promtool), the
// Settings card pointing VirtDeck at it ("beyond local retention"), a VM's 6 h charts sourced
// from Prometheus (screenshot), then Prometheus stopped: the charts say so and still show the
// local data. The Rules view downloads the rules as a Prometheus rules file.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { parse } from 'yaml';
import { launchChromium, screenshot } from '../helpers/browser';
import { describeWithLab } from '../helpers/lab';
import { labDataDir } from '../helpers/lab-data-dir';
import { backfill, prometheusMissing, startPrometheus, waitFor } from '../helpers/prometheus';
import type { BackfillSeries, TestPrometheus } from '../helpers/prometheus';
import { tempDir } from '../helpers/temp';
import { startServe } from '../helpers/serve';
import type { Served } from '../helpers/serve';

/** A guest's last 6 hours (until 3 minutes ago) every 15 s: CPU in a slow wave, steal, memory, traffic. */
function pastOf(labels: Record<string, string>): BackfillSeries[] {
  const end = Math.floor(Date.now() / 1000) - 180;
  const times: number[] = [];
  for (let t = end - 6 * 3600; t <= end; t += 15) times.push(t);
  const cpuPct = (t: number) => 25 + 20 * Math.sin(t / 2400);
  const counter = (perSec: (t: number) => number): [number, number][] => {
    let total = 0;
    return times.map((t) => [t, (total += perSec(t) * 15)]);
  };
  const gauge = (v: (t: number) => number): [number, number][] => times.map((t) => [t, v(t)]);
  const dev = { ...labels, target_device: 'vda' };
  const nic = { ...labels, target_device: 'labtap01' };
  return [
    {
      family: 'libvirt_domain_info_cpu_time_seconds',
      type: 'counter',
      labels,
      samples: counter((t) => cpuPct(t) / 100),
    },
    // steal: the CPU chart draws it too, so without it that chart would fall back to local history
    {
      family: 'libvirt_domain_vcpu_delay_seconds',
      type: 'counter',
      labels,
      samples: counter((t) => (t % 1800 < 300 ? 0.08 : 0.01)),
    },
    { family: 'libvirt_domain_info_virtual_cpus', type: 'gauge', labels, samples: gauge(() => 1) },
    {
      family: 'libvirt_domain_info_memory_usage_bytes',
      type: 'gauge',
      labels,
      samples: gauge((t) => (30 + 5 * Math.cos(t / 900)) * 2 ** 20),
    },
    {
      family: 'libvirt_domain_memory_stats_actual_balloon_bytes',
      type: 'gauge',
      labels,
      samples: gauge(() => 48 * 2 ** 20),
    },
    {
      family: 'libvirt_domain_interface_stats_receive_bytes',
      type: 'counter',
      labels: nic,
      samples: counter((t) => 4000 + 3000 * Math.sin(t / 700)),
    },
    {
      family: 'libvirt_domain_interface_stats_transmit_bytes',
      type: 'counter',
      labels: nic,
      samples: counter(() => 1500),
    },
    {
      family: 'libvirt_domain_block_stats_read_bytes',
      type: 'counter',
      labels: dev,
      samples: counter((t) => (t % 3600 < 600 ? 200_000 : 10_000)),
    },
    { family: 'libvirt_domain_block_stats_write_bytes', type: 'counter', labels: dev, samples: counter(() => 30_000) },
  ];
}

describeWithLab('Prometheus in the browser', (getLab) => {
  let served: Served;
  let prom: TestPrometheus;
  let browser: Browser;
  let page: Page;
  let vmName = '';

  beforeAll(async () => {
    const missing = prometheusMissing();
    if (missing) throw new Error(missing);
    const lab = getLab();
    const dataDir = labDataDir(lab, 1);
    vmName = lab.domains[0] ?? '';
    const uuid = execFileSync('virsh', ['-c', lab.uri, 'domuuid', vmName], { encoding: 'utf8' }).trim();
    const promDir = tempDir('prometheus');
    const tokenFile = join(promDir, 'virtdeck-token');
    served = await startServe(dataDir, ['--metrics', '--no-demo', '--token-file', tokenFile]);
    // six hours before VirtDeck started: history only Prometheus has (VirtDeck's own file is new)
    backfill(promDir, pastOf({ host: 'lab', domain: vmName, uuid }));
    prom = await startPrometheus({
      target: new URL(served.origin).host,
      tokenFile, // written by serve: Prometheus reads it at every scrape
      scrapeInterval: '1s',
      dataDir: promDir,
    });
    await waitFor('15 scrapes of the lab guest', async () => {
      const [n] = await prom.query(`count_over_time(libvirt_domain_info_cpu_time_seconds_total{uuid="${uuid}"}[1m])`);
      return (n?.value ?? 0) >= 15 ? true : undefined;
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1360, height: 1000 }, acceptDownloads: true });
  });
  afterAll(async () => {
    await browser?.close();
    await prom?.stop();
    await served?.stop();
  });

  it('charts a range beyond local history from Prometheus once Settings point at it', async () => {
    expect(served.output()).toContain(`Prometheus metrics: ${served.origin}/metrics`);
    const tokenFile = join(prom.dataDir, 'virtdeck-token');
    expect(readFileSync(tokenFile, 'utf8')).toBe(served.token);
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect((await prom.query('up{job="virtdeck"}'))[0]?.value).toBe(1);
    await page.goto(served.url);
    await page.getByTestId('nav-settings').click();
    const card = page.getByTestId('prometheus-card');
    await card.locator('input[name="prometheusUrl"]').fill(prom.url);
    await card.locator('input[name="prometheusToken"]').fill('a-token-prometheus-ignores');
    await card.getByTestId('prometheus-save').click();
    await card.getByTestId('prometheus-token-held').waitFor();
    expect(await card.locator('input[name="prometheusToken"]').inputValue()).toBe('');
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, 'prometheus-settings');
    await page.getByTestId('nav-hosts').click();
    await page.locator('[data-testid=host-row][data-host="lab"]').getByTestId('host-link').click();
    await page.getByTestId('vm-table').getByTestId('vm-name').getByText(vmName, { exact: true }).click();
    await page.getByTestId('vm-detail-name').getByText(vmName).waitFor();
    await page.getByTestId('range-6h').click();
    await page.getByTestId('history-source').filter({ hasText: 'Prometheus' }).waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('history-source-error').allTextContents()).toEqual([]);
    await page.getByTestId('chart-cpu').locator('canvas').first().waitFor();
    await page.waitForTimeout(800); // the chart's entry animation
    await screenshot(page, 'prometheus-vm-chart');
  });

  it('Prometheus stopped: the chart says it is unreachable and shows the local data', async () => {
    await prom.stop();
    await page.getByRole('button', { name: 'Refresh' }).click();
    const err = page.getByTestId('history-source-error').first();
    await err.waitFor({ timeout: 20_000 });
    expect(await err.textContent()).toMatch(
      /Prometheus at http:\/\/127\.0\.0\.1:\d+ is unreachable .*Showing local history/,
    );
    expect(await page.getByTestId('history-source').textContent()).toContain('local history');
    // local points are there: the points label counts them
    expect(await page.getByTestId('detail-points').textContent()).toMatch(/^\s*[1-9]\d* · raw/);
    await screenshot(page, 'prometheus-vm-chart-unreachable');
  });

  it('downloads the rules as a Prometheus alerting-rules file', async () => {
    await page.getByTestId('nav-rules').click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('rules-export-prometheus').click(),
    ]);
    expect(download.suggestedFilename()).toBe('virtdeck-rules.yml');
    const doc = parse(readFileSync((await download.path()) ?? '', 'utf8')) as {
      groups: { rules: { alert: string; labels: Record<string, string> }[] }[];
    };
    expect(doc.groups[0]?.rules.map((r) => r.alert)).toContain('HighLoad');
  });
});
