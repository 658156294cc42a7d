// End to end, as an admin would: `serve` prints a URL, the browser opens it, the lab host is
// added through the UI, its host key checked against the lab's and trusted, and the 3 real
// guests appear with their state. Tokens are enforced on HTTP and on the WebSocket.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Browser, Page } from 'playwright-core';
import { describeWithLab } from '../helpers/lab';
import { launchChromium, screenshot } from '../helpers/browser';
import { startServe } from '../helpers/serve';
import type { Served } from '../helpers/serve';
import { tempDir } from '../helpers/transports';

/** Tries a WebSocket to /rpc and reports how the server answered the upgrade. */
function tryWebSocket(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => {
      ws.close();
      resolve({ status: 101, body: '' });
    });
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.once('error', (e) => (e.message.includes('Unexpected server response') ? undefined : reject(e)));
  });
}

describeWithLab('serve mode end to end', (getLab) => {
  let served: Served;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    served = await startServe(tempDir('e2e-data'), ['--no-demo']); // the empty state; the demo fleet has its own test
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
  });
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('prints one URL with a token and refuses everything without it', async () => {
    expect(served.output().match(/http:\/\//g)).toHaveLength(1);
    expect(served.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const plain = await fetch(`${served.origin}/`);
    expect(plain.status).toBe(401);
    expect(await plain.text()).toMatch(/missing or wrong access token/);

    const wsBase = served.origin.replace('http', 'ws') + '/rpc';
    const none = await tryWebSocket(wsBase);
    expect(none.status).toBe(401);
    expect(none.body).toMatch(/missing or wrong access token/);
    expect((await tryWebSocket(`${wsBase}?token=wrong`)).status).toBe(401);
    const crossSite = await tryWebSocket(`${wsBase}?token=${served.token}`, { Origin: 'http://evil.example' });
    expect(crossSite.status).toBe(403);
    expect((await tryWebSocket(`${wsBase}?token=${served.token}`)).status).toBe(101);
  });

  it('opens on an honest empty state with a way to add a host', async () => {
    await page.goto(served.url);
    expect(new URL(page.url()).search).toBe(''); // the token left the address bar for a cookie
    await page.getByTestId('overview-empty').waitFor(); // the overview says what to do first
    await page.getByTestId('nav-hosts').click();
    await page.getByTestId('hosts-empty').waitFor();
    const csp = (await page.request.get(`${served.origin}/`)).headers()['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    await screenshot(page, '01-empty');
  });

  it('adds the lab host through the UI, checks its key fingerprint, and lists its 3 guests', async () => {
    const lab = getLab();
    await page.getByTestId('hosts-add').click();
    const form = page.getByTestId('add-host-form');
    await form.locator('input[name=address]').fill(lab.host);
    await form.locator('input[name=port]').fill(String(lab.ports[0]));
    await form.locator('input[name=user]').fill('vdmon');
    await form.locator('input[name=identityFile]').fill(lab.keyPath);
    await form.locator('input[name=name]').fill('lab-hv');
    await screenshot(page, '02-add-host');
    await page.getByTestId('add-host-save').click();

    const prompt = page.locator('[data-testid=hostkey-prompt][data-host="lab-hv"]');
    await prompt.waitFor();
    const shown = (await prompt.getByTestId('hostkey-fingerprint').textContent())?.trim();
    const expected = execFileSync('ssh-keygen', ['-lf', lab.hostPubKeyPath], { encoding: 'utf8' }).split(' ')[1];
    expect(shown).toBe(expected);
    await screenshot(page, '03-hostkey');
    await prompt.getByTestId('hostkey-trust').click();

    // the grid's row: status, figures, VMs running / all, and (after a cycle) the CPU sparkline
    const row = page.locator('[data-testid=host-row][data-host="lab-hv"]');
    await row.locator('[data-status=ok]').waitFor();
    await prompt.waitFor({ state: 'detached' });
    await expect
      .poll(() => row.getByTestId('host-vms').textContent())
      .toBe(`${lab.domains.length} / ${lab.domains.length}`);
    expect(await row.getByTestId('host-resolved').textContent()).toBe(`vdmon@127.0.0.1:${lab.ports[0]}`);
    await row.getByTestId('hosts-refresh').click();
    await expect.poll(() => row.getByTestId('host-cpu').textContent(), { timeout: 20_000 }).toMatch(/^\d+\.\d %$/);
    await expect
      .poll(async () => Number(await row.getByTestId('sparkline').getAttribute('data-points')))
      .toBeGreaterThan(0);
    await screenshot(page, '04-hosts');

    // its page: facts, and every guest with the state libvirt reports and live figures
    await row.getByTestId('host-link').click();
    await page.getByTestId('host-detail-name').getByText('lab-hv').waitFor();
    await page.getByTestId('host-facts').waitFor();
    const table = page.getByTestId('vm-table');
    for (const d of lab.domains) {
      const vmRow = table.locator('tr', { has: page.getByTestId('vm-name').getByText(d, { exact: true }) });
      const truth = execFileSync('virsh', ['-c', lab.uri, 'domstate', d], { encoding: 'utf8' }).trim();
      await expect.poll(() => vmRow.locator('[data-state]').getAttribute('data-state')).toBe(truth);
    }
    await expect.poll(() => table.getByTestId('vm-cpu').first().textContent()).toMatch(/^\d+\.\d %$/);
    await screenshot(page, '04a-host-detail');
  });

  it('downloads the host’s history as CSV', async () => {
    const lab = getLab();
    await page.waitForTimeout(1200); // the once-a-second history flush
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('host-export').click()]);
    expect(download.suggestedFilename()).toBe('lab-hv-24h.csv');
    const path = await download.path();
    const csv = readFileSync(path, 'utf8').trim().split('\n');
    expect(csv[0]).toBe('time,host,vm,uuid,metric,avg,min,max');
    for (const d of lab.domains) expect(csv.some((l) => l.includes(`,${d},`) && l.includes(',cpu_pct,'))).toBe(true);
  });

  it('opens a VM’s history charts from the grid', async () => {
    const lab = getLab();
    await page
      .getByTestId('vm-table')
      .getByTestId('vm-name')
      .getByText(lab.domains[0] ?? '', { exact: true })
      .click();
    await page
      .getByTestId('vm-detail-name')
      .getByText(lab.domains[0] ?? '')
      .waitFor();
    for (const c of ['cpu', 'mem', 'net', 'disk'])
      await page.getByTestId(`chart-${c}`).locator('canvas').first().waitFor();
    await expect.poll(() => page.getByTestId('detail-points').textContent()).toMatch(/^[1-9]\d* · raw/);
    await page.getByTestId('range-15m').click();
    // its configuration as libvirt reports it: one vCPU, its disk and NIC, autostart off
    await expect(page.getByTestId('vm-config').textContent()).resolves.toMatch(
      /vCPUs 1.*Disk vda.*NIC lab.*Autostart off/,
    );
    await screenshot(page, '04b-vm-detail');
    await page.getByTestId('nav-hosts').click();
  });

  it('shows and saves history retention in Settings', async () => {
    await page.getByTestId('nav-settings').click();
    const form = page.getByTestId('retention-form');
    await form.waitFor();
    expect(await form.locator('input[name=rawHours]').inputValue()).toBe('48');
    await form.locator('input[name=rawHours]').fill('24');
    await page.getByTestId('retention-save').click();
    await expect.poll(() => page.getByText('Retention saved').count()).toBeGreaterThan(0);
    await screenshot(page, '05-settings');
    await page.getByTestId('nav-hosts').click();
  });

  it('switches the chrome to Simplified Chinese', async () => {
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('locale-zh-CN').click();
    await expect.poll(() => page.getByTestId('nav-hosts').textContent()).toBe('主机');
    await screenshot(page, '06-settings-zh');
    await page.getByTestId('nav-hosts').click();
    await page.locator('[data-testid=host-row] [data-status=ok]').waitFor();
    await screenshot(page, '07-hosts-zh');
  });
});
