// Alerts end to end in the browser: a lab guest suspended while expected to run shows up firing
// (with the nav badge), is acknowledged through the UI with a note, resolves when resumed and
// moves to the history; rules and notifiers are editable, bad rule input is refused by field.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { describeWithLab } from '../helpers/lab';
import { launchChromium, screenshot } from '../helpers/browser';
import { startServe } from '../helpers/serve';
import type { Served } from '../helpers/serve';
import { labDataDir } from '../helpers/lab-data-dir';
import { freePort as closedPort } from '../helpers/sshd';

describeWithLab('alerts in the browser', (getLab) => {
  let served: Served;
  let browser: Browser;
  let page: Page;
  let suspended = false;
  const guest = () => getLab().domains.at(-1) ?? '';
  const virsh = (...args: string[]) => execFileSync('virsh', ['-c', getLab().uri, ...args], { encoding: 'utf8' });

  beforeAll(async () => {
    const dataDir = labDataDir(getLab());
    served = await startServe(dataDir);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 860 } });
    await page.goto(served.url);
    await page.getByTestId('nav-hosts').click();
  });
  afterAll(async () => {
    if (suspended) virsh('resume', guest());
    await browser?.close();
    await served?.stop();
  });

  it('a suspended guest fires, is acknowledged with a note, and resolves into the history', async () => {
    // the guest is seen running first, so VirtDeck expects it to run
    await page.getByTestId('host-status').filter({ hasText: 'OK' }).waitFor({ timeout: 30_000 });
    await page.waitForTimeout(2500);
    await page.getByTestId('nav-alerts').click();
    virsh('suspend', guest());
    suspended = true;
    const row = page.locator('[data-testid="alerts-active"] tr', { hasText: guest() });
    await row.filter({ hasText: 'firing' }).waitFor({ timeout: 30_000 });
    await expect(row.textContent()).resolves.toMatch(/VM down unexpectedly.*paused/);
    // the badge counts every firing alert (other guests of the shared lab may have their own)
    const firingRows = await page.locator('[data-testid="alerts-active"] tr', { hasText: 'firing' }).count();
    expect(Number(await page.getByTestId('nav-alert-count').textContent())).toBe(firingRows);
    await screenshot(page, 'alerts-firing');

    await row.getByTestId('alert-ack').click();
    await page.getByTestId('ack-note').locator('textarea').fill('checking the disk');
    await page.getByRole('button', { name: 'Acknowledge' }).last().click();
    await row.filter({ hasText: 'acknowledged' }).waitFor();

    virsh('resume', guest());
    suspended = false;
    await row.waitFor({ state: 'detached', timeout: 30_000 });
    await page.locator('.n-tabs-tab', { hasText: 'History' }).click();
    const past = page.locator('[data-testid="alerts-history"] tr', { hasText: guest() });
    await past.first().waitFor({ timeout: 10_000 });
    // filters narrow the history; a filter nothing matches empties it
    await page.getByTestId('history-filter').locator('input').fill('no such alert');
    await past.first().waitFor({ state: 'detached' });
    await page.getByTestId('history-filter').locator('input').fill(guest());
    await past.first().waitFor();
    await past.first().getByRole('button', { name: 'Details' }).click();
    const drawer = page.locator('.n-drawer');
    await drawer.getByText('Acknowledged').waitFor();
    await expect(drawer.textContent()).resolves.toMatch(/checking the disk/);
    await expect(drawer.textContent()).resolves.toMatch(/resolved: VM '.*' on 'lab' is running/);
    // nothing spills out of the window
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await page.waitForTimeout(400); // the drawer's slide-in
    await screenshot(page, 'alerts-history-detail');
    await page.keyboard.press('Escape');
  });

  it('lists the shipped rules, refuses a bad rule naming the field, and saves a good one', async () => {
    await page.getByTestId('nav-rules').click();
    await page.getByTestId('rule-row-name').filter({ hasText: 'High load' }).waitFor();
    const names = await page.getByTestId('rule-row-name').allTextContents();
    expect(names).toEqual(
      expect.arrayContaining([
        'High load',
        'Idle VM',
        'No data',
        'CPU contention',
        'Pool almost full',
        'Paused on I/O error',
      ]),
    );
    await page.getByTestId('rule-new').click();
    await page.getByTestId('rule-save').click();
    await expect(page.getByTestId('rule-error').textContent()).resolves.toMatch(/name: name is required/);
    await page.getByTestId('rule-name').locator('input').fill('Busy database');
    await expect
      .poll(() => page.getByTestId('rule-preview').textContent())
      .toMatch(/Would fire now \(duration taken as met\) on \d+ targets/);
    await page.getByTestId('rule-save').click();
    await page.getByTestId('rule-row-name').filter({ hasText: 'Busy database' }).waitFor();
    await screenshot(page, 'rules');
  });

  it('sends a test through the log notifier from Settings, and speaks Chinese', async () => {
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('notifier-test-log').click();
    await page.getByText('Test sent through Alert log').waitFor();
    // a webhook nobody listens on: its failed test shows at the top of the Alerts page
    const port = await closedPort();
    await page.getByTestId('notifier-new').click();
    await page.getByTestId('notifier-name').locator('input').fill('Broken hook');
    await page.getByTestId('notifier-url').locator('input').fill(`http://127.0.0.1:${port}/hook`);
    await page.getByTestId('notifier-save').click();
    const hookRow = page.locator('[data-testid=notifiers] tr', { hasText: 'Broken hook' });
    await hookRow.locator('[data-testid^=notifier-test-]').click();
    await hookRow.getByTestId('notifier-error').waitFor({ timeout: 20_000 });
    await page.getByTestId('nav-alerts').click();
    const failure = page.getByTestId('notifier-failure').filter({ hasText: 'Broken hook' });
    await expect.poll(() => failure.textContent()).toMatch(/Broken hook \(Webhook\) — .*(ECONNREFUSED|refused)/);
    await screenshot(page, 'alerts-notifier-failure');
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('locale-zh-CN').click();
    await expect(page.getByTestId('nav-alerts').textContent()).resolves.toMatch(/告警/);
    await page.getByTestId('nav-rules').click();
    await page.getByText('恢复内置规则').waitFor();
    await screenshot(page, 'rules-zh');
  });
});
