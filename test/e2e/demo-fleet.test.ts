// A newcomer's path, end to end: a fresh data dir → `serve` → the browser shows the simulated
// demo fleet (tagged "Demo") with live figures, collected over SSH like any host; Settings
// removes it in one click and it stays gone after a restart. Needs no lab.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshot } from '../helpers/browser';
import { startServe } from '../helpers/serve';
import type { Served } from '../helpers/serve';
import { tempDir } from '../helpers/temp';

describe('serve with no hosts: the demo fleet', () => {
  const dataDir = tempDir('e2e-demo');
  let served: Served;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    served = await startServe(dataDir);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
  });
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('shows four demo hosts with their VMs and live values', async () => {
    await page.goto(served.url);
    await page.getByTestId('nav-hosts').click();
    const rows = page.getByTestId('host-row');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(4);
    await expect.poll(() => page.getByTestId('host-demo').count()).toBe(4);
    expect(await page.getByTestId('host-demo').first().textContent()).toBe('Demo');
    const first = page.locator('[data-testid=host-row][data-host="sim-hv001"]');
    await first.locator('[data-status=ok]').waitFor({ timeout: 30_000 });
    await expect.poll(() => first.getByTestId('host-vms').textContent()).toMatch(/^\d+ \/ 12$/);
    await expect.poll(() => first.getByTestId('host-cpu').textContent(), { timeout: 30_000 }).toMatch(/^\d+\.\d %$/);
    await first.getByTestId('host-link').click();
    await page.getByTestId('host-facts').waitFor();
    await expect.poll(() => page.getByTestId('vm-table').getByTestId('vm-name').count()).toBe(12);
    // a CPU percentage needs two cycles (the demo hosts are collected every 5 s)
    await expect
      .poll(() => page.getByTestId('vm-cpu').first().textContent(), { timeout: 30_000 })
      .toMatch(/^\d+\.\d %$/);
    await page.getByTestId('nav-hosts').click();
    expect(served.output()).toMatch(/demo fleet: 4 simulated hosts × 12 VMs/);
    await screenshot(page, 'demo-01-hosts');
  });

  it('shows real alerts from the scripted incidents within a minute', async () => {
    // the simulator pauses a VM on an I/O error 40 s after it starts (docs/simulator.md)
    await page.getByTestId('nav-alerts').click();
    const ioerror = page.locator('[data-testid="alerts-active"] tr', { hasText: 'Paused on I/O error' });
    await ioerror.filter({ hasText: 'firing' }).waitFor({ timeout: 60_000 });
    await expect(ioerror.textContent()).resolves.toMatch(
      /Critical.*firing.*Paused on I\/O error.*on .sim-hv001. is paused \(ioerror\)/,
    );
    await screenshot(page, 'demo-04-alerts');
    // half a minute of cycles later, every host row draws its CPU line
    await page.getByTestId('nav-hosts').click();
    const line = page.locator('[data-testid=host-row][data-host="sim-hv001"] [data-testid=sparkline] polyline');
    await expect
      .poll(async () => ((await line.last().getAttribute('points')) ?? '').split(' ').length)
      .toBeGreaterThan(3);
    await screenshot(page, 'demo-06-hosts-trend');
    // the overview points at the same trouble: a host needing attention, red cells in the heatmap
    await page.getByTestId('nav-overview').click();
    await page.getByTestId('ov-attention').getByText('sim-hv001').waitFor();
    await expect.poll(() => page.getByTestId('ov-vms').locator('.big').textContent()).toBe('48');
    await page.waitForTimeout(300);
    await screenshot(page, 'demo-05-overview');
  });

  it('removes the demo fleet from Settings in one click, for good', async () => {
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('demo-card').waitFor();
    await screenshot(page, 'demo-02-settings');
    await page.getByTestId('demo-remove').click();
    await page.getByTestId('demo-card').waitFor({ state: 'detached' });
    await page.getByTestId('nav-hosts').click();
    await page.getByTestId('hosts-empty').waitFor();
    await screenshot(page, 'demo-03-removed');

    await served.stop();
    served = await startServe(dataDir);
    await page.goto(served.url);
    await page.getByTestId('nav-hosts').click();
    await page.getByTestId('hosts-empty').waitFor();
    expect(await page.getByTestId('host-row').count()).toBe(0);
  });
});
