// The fleet-wide VM grid in the browser against the lab: the three guests with live values,
// text and state filters, sorting, selection, a suspended guest's state changing in place.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { describeWithLab } from '../helpers/lab';
import { launchChromium, screenshot } from '../helpers/browser';
import { labDataDir } from '../helpers/lab-data-dir';
import { startServe } from '../helpers/serve';
import type { Served } from '../helpers/serve';

describeWithLab('VM grid in the browser', (getLab) => {
  let served: Served;
  let browser: Browser;
  let page: Page;
  let suspended = false;
  const virsh = (...args: string[]) => execFileSync('virsh', ['-c', getLab().uri, ...args], { encoding: 'utf8' });

  beforeAll(async () => {
    served = await startServe(labDataDir(getLab()));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 860 } });
    await page.goto(served.url);
  });
  afterAll(async () => {
    if (suspended) virsh('resume', getLab().domains.at(-1) ?? '');
    await browser?.close();
    await served?.stop();
  });

  const names = () => page.getByTestId('grid-vm-name').allTextContents();

  it('lists every lab guest with live figures, filters, sorts and selects', async () => {
    const lab = getLab();
    await page.getByTestId('nav-vms').click();
    await page
      .getByTestId('grid-vm-name')
      .nth(lab.domains.length - 1)
      .waitFor({ timeout: 30_000 });
    const listed = await names();
    expect(listed).toEqual(expect.arrayContaining(lab.domains));
    // live CPU figures arrive (a percentage, not a dash)
    await expect
      .poll(async () => (await page.getByTestId('vm-row').allTextContents()).some((r) => /\d\s?%/.test(r)), {
        timeout: 20_000,
      })
      .toBe(true);
    await page
      .getByTestId('grid-search')
      .locator('input')
      .fill(lab.domains[0] ?? '');
    await expect(names()).resolves.toEqual([lab.domains[0]]);
    await page.getByTestId('grid-search').locator('input').fill('');
    // sort by name, descending
    await page.getByTestId('sort-name').click();
    const desc = await names();
    const labOnly = desc.filter((n) => lab.domains.includes(n));
    expect(labOnly).toEqual([...lab.domains].sort().reverse());
    // select one row
    await page.getByTestId('vm-row').first().getByTestId('row-pick').check();
    await expect(page.getByTestId('grid-selected').textContent()).resolves.toMatch(/1 selected/);
    await screenshot(page, 'vms-grid');
    // the status bar says how the collector is doing; g a / g v move between views
    await expect(page.getByTestId('status-hosts').textContent()).resolves.toMatch(/Hosts 1\/1 OK/);
    await page.keyboard.press('Escape');
    await page.locator('h2').first().click();
    await page.keyboard.press('g');
    await page.keyboard.press('a');
    await page.waitForURL(/#\/alerts/);
    await page.keyboard.press('g');
    await page.keyboard.press('v');
    await page.waitForURL(/#\/vms/);
  });

  it('a host’s page: facts, charts, and its VMs one click away', async () => {
    const lab = getLab();
    await page.getByTestId('nav-hosts').click();
    await page.getByTestId('host-link').first().click();
    await expect(page.getByTestId('host-detail-name').textContent()).resolves.toBe('lab');
    await expect(page.getByTestId('host-facts').textContent()).resolves.toMatch(/CPUs \d+/);
    for (const c of ['cpu', 'mem', 'load', 'net'])
      await page.getByTestId(`chart-${c}`).locator('canvas').first().waitFor();
    await expect.poll(() => page.getByTestId('detail-points').textContent()).toMatch(/^[1-9]\d* · raw/);
    await screenshot(page, 'host-detail');
    await page.getByTestId('host-vms').click();
    await expect
      .poll(() => page.getByTestId('grid-count').textContent())
      .toBe(`${lab.domains.length} of ${lab.domains.length}`);
  });

  it('the overview counts the lab and opens a VM from the heatmap', async () => {
    const lab = getLab();
    await page.getByTestId('nav-overview').click();
    await expect.poll(() => page.getByTestId('ov-vms').locator('.big').textContent()).toBe(String(lab.domains.length));
    await expect(page.getByTestId('ov-hosts').locator('.big').textContent()).resolves.toBe('1');
    await expect(page.getByTestId('ov-committed').textContent()).resolves.toMatch(/vCPUs \/ CPUs: 3 \/ \d+/);
    const heat = page.getByTestId('heatmap');
    await heat.waitFor();
    await screenshot(page, 'overview');
    // the first cell sits right of the 120 px label column
    await heat.click({ position: { x: 120 + 7, y: 7 } });
    await page.getByTestId('vm-detail-name').waitFor();
    expect(lab.domains).toContain(await page.getByTestId('vm-detail-name').textContent());
    await page.getByTestId('nav-vms').click();
  });

  it('shows a guest suspended from the lab as paused, in place', async () => {
    const guest = getLab().domains.at(-1) ?? '';
    virsh('suspend', guest);
    suspended = true;
    const row = page.getByTestId('vm-row').filter({ hasText: guest });
    await row.locator('[data-state="paused"]').waitFor({ timeout: 20_000 });
    virsh('resume', guest);
    suspended = false;
    await row.locator('[data-state="running"]').waitFor({ timeout: 20_000 });
  });

  it('suspends and resumes a selected guest as a bulk action; VirtDeck’s own stop raises no alert', async () => {
    const guest = getLab().domains.at(-1) ?? '';
    const row = page.getByTestId('vm-row').filter({ hasText: guest });
    const act = async (label: string) => {
      await page.getByTestId('grid-search').locator('input').fill(guest);
      await row.getByTestId('row-pick').check();
      await page.getByTestId('grid-bulk').click();
      await page.locator('.n-dropdown-option', { hasText: label }).click();
      await page.locator('.n-dialog').getByRole('button', { name: label }).click();
      await page.getByText('1 tasks queued, 0 refused').waitFor();
    };
    await act('Suspend');
    suspended = true;
    await row.locator('[data-state="paused"]').waitFor({ timeout: 30_000 });
    expect(virsh('domstate', guest).trim()).toBe('paused');
    await page.waitForTimeout(5000); // two cycles of the paused guest
    await page.getByTestId('nav-alerts').click();
    await page.getByTestId('alerts-active').or(page.getByText('Nothing needs attention.')).first().waitFor();
    expect(await page.locator('[data-testid="alerts-active"] tr', { hasText: guest }).count()).toBe(0);
    await page.getByTestId('nav-vms').click();
    await act('Resume');
    suspended = false;
    await row.locator('[data-state="running"]').waitFor({ timeout: 30_000 });
    await screenshot(page, 'vms-grid-bulk');
    // the VM's page lists what was done to it
    await row.getByTestId('grid-vm-name').click();
    await expect
      .poll(() => page.getByTestId('vm-tasks').textContent())
      .toMatch(/vm\.resume\s*succeeded.*vm\.suspend\s*succeeded/);
  });
});
