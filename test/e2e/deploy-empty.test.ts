// The create-VM wizard and Groups with nothing to deploy on: serve with only the demo fleet
// (simulated hosts cannot create VMs) shows honest empty states with a way forward, in English
// and in Simplified Chinese. Needs no lab.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshot } from '../helpers/browser';
import { startServe } from '../helpers/serve';
import type { Served } from '../helpers/serve';
import { tempDir } from '../helpers/temp';

describe('create VM and groups with only demo hosts', () => {
  let served: Served;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    served = await startServe(tempDir('e2e-deploy-empty'));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
  });
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('the wizard says there is no host to create on and links to adding one', async () => {
    await page.goto(served.url);
    await page.getByTestId('nav-vms').click();
    await page.getByTestId('create-vm').click();
    const empty = page.getByTestId('deploy-empty');
    await empty.waitFor({ timeout: 30_000 });
    expect(await empty.textContent()).toMatch(/No host to create a VM on.*demo hosts cannot create VMs/);
    await screenshot(page, 'wizard-0-no-hosts');
    await empty.getByRole('button', { name: 'Add host' }).click();
    await page.waitForURL(/#\/settings$/);
  });

  it('Groups starts empty and says how to make one; both read in Chinese', async () => {
    await page.getByTestId('nav-groups').click();
    const empty = page.getByTestId('groups-empty');
    await empty.waitFor();
    expect(await empty.textContent()).toMatch(/No groups yet/);
    await page.getByTestId('locale-select').click();
    await page.locator('.n-base-select-option', { hasText: '简体中文' }).click();
    await expect.poll(() => empty.textContent()).toMatch(/还没有虚拟机组/);
    expect(await page.getByTestId('nav-groups').textContent()).toBe('虚拟机组');
    await screenshot(page, 'groups-0-empty-zh');
    await page.goto(`${served.url}#/deploy`);
    await expect.poll(() => page.getByTestId('deploy-empty').textContent()).toMatch(/没有可创建虚拟机的主机/);
  });
});
