// A host that logs in with a password, as an admin meets it in serve mode (secrets are kept in
// memory only): VirtDeck asks for the password on the Hosts page, logs in with it, keeps it when
// the host is edited, and never shows it back. Settings says where secrets live.
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { describeWithLab } from '../helpers/lab';
import { launchChromium, screenshot } from '../helpers/browser';
import { startServe } from '../helpers/serve';
import type { Served } from '../helpers/serve';
import { startSshd } from '../helpers/sshd';
import type { TestSshd } from '../helpers/sshd';
import { tempDir } from '../helpers/transports';

const PASSWORD = 'e2e-Pw "quoted" $(id) 密码';

describeWithLab('host credentials in the UI', (getLab) => {
  let served: Served;
  let sshd: TestSshd;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    const lab = getLab();
    // no usable key is authorized: only the password lets vdmon in
    sshd = await startSshd(lab, {
      hostKey: join(lab.dir, 'ssh', 'host_ed25519_key'),
      authorizedKeys: join(lab.dir, 'ssh', 'host_ed25519_key.pub'),
      password: PASSWORD,
    });
    served = await startServe(tempDir('e2e-cred'), ['--no-demo']);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
  });
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    await sshd?.stop();
  });

  it('asks for the password on the Hosts page and logs in with it', async () => {
    const lab = getLab();
    await page.goto(served.url);
    await page.getByTestId('nav-hosts').click();
    await page.getByTestId('hosts-add').click();
    const form = page.getByTestId('add-host-form');
    await form.locator('input[name=address]').fill(lab.host);
    await form.locator('input[name=port]').fill(String(sshd.port));
    await form.locator('input[name=user]').fill('vdmon');
    await form.locator('input[name=name]').fill('pw-hv');
    await page.getByTestId('add-host-save').click();

    await page.locator('[data-testid=hostkey-prompt][data-host="pw-hv"]').getByTestId('hostkey-trust').click();
    // the server takes passwords and VirtDeck holds none: the Hosts page asks
    const prompt = page.locator('[data-testid=secret-prompt][data-host="pw-hv"]');
    await prompt.waitFor();
    expect(await prompt.textContent()).toMatch(/Password needed/);
    await screenshot(page, 'credentials-01-password-prompt');
    await prompt.locator('input[name=session-secret]').fill('not the password');
    await prompt.getByTestId('secret-submit').click();
    await expect.poll(() => prompt.textContent()).toMatch(/authentication failed/);
    await prompt.locator('input[name=session-secret]').fill(PASSWORD);
    await prompt.getByTestId('secret-submit').click();
    const row = page.locator('[data-testid=host-row][data-host="pw-hv"]');
    await row.locator('[data-status=ok]').waitFor({ timeout: 20_000 });
    await expect.poll(() => prompt.count()).toBe(0);
    expect(await page.content()).not.toContain(PASSWORD); // never echoed back
  });

  it('edits the host and keeps the session password', async () => {
    const row = page.locator('[data-testid=host-row][data-host="pw-hv"]');
    await row.getByTestId('host-edit').click();
    const form = page.getByTestId('add-host-form');
    expect(await form.locator('input[name=port]').inputValue()).toBe(String(sshd.port));
    expect(await form.locator('input[name=password]').getAttribute('placeholder')).toMatch(/empty keeps the current/);
    // the connection test of an edited host uses the password held for it
    await page.getByTestId('add-host-test').click();
    const steps = page.getByTestId('add-host-steps');
    await expect.poll(() => steps.textContent(), { timeout: 20_000 }).toMatch(/✓ auth.*✓ virsh/);
    await form.locator('input[name=name]').fill('pw-hv-renamed');
    await screenshot(page, 'credentials-02-edit');
    await page.getByTestId('add-host-save').click();
    const renamed = page.locator('[data-testid=host-row][data-host="pw-hv-renamed"]');
    await renamed.locator('[data-status=ok]').waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-testid=host-row][data-host="pw-hv"]').count()).toBe(0);
  });

  it('says in Settings that secrets are kept for this session only', async () => {
    await page.getByTestId('nav-settings').click();
    await expect
      .poll(() => page.getByTestId('secrets-notice').textContent())
      .toMatch(/kept in memory for this session only/);
    // Settings lists the host too, with the same actions
    const listed = page.locator('[data-testid=settings-host][data-host="pw-hv-renamed"]');
    await listed.locator('[data-status=ok]').waitFor();
    await listed.getByTestId('host-edit').waitFor();
    await screenshot(page, 'credentials-03-settings');
    const body = await page.content();
    expect(body).not.toContain(PASSWORD);
  });
});
