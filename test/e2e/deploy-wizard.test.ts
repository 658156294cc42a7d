// The create-VM wizard in Chromium against serve on the real lab: a pool and a tiny base qcow2
// of the test's own (prefix vd-ui-), all six steps walked (automatic placement with its ranking,
// an overlay on the base, a TCG guest of 64 MiB, no network, cloud-init with a key), the domain
// XML copied, Create → the task's step log followed live to a running VM; then the VM is deleted
// with its storage from its page and nothing of the test is left on the host.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { HostKeyStore } from '../../src/main/ssh/host-key-store';
import { webSocketClientTransport } from '../../src/renderer/api/ws-transport';
import { createClient } from '../../src/shared/rpc/client';
import type { Client } from '../../src/shared/rpc/client';
import { describeWithLab } from '../helpers/lab';
import { launchChromium, screenshot } from '../helpers/browser';
import { startServe } from '../helpers/serve';
import type { Served } from '../helpers/serve';
import { fingerprintOf } from '../helpers/sshd';
import { removeDomain, virsh, virshMaybe } from '../helpers/task-lab';
import { tempDir } from '../helpers/temp';

const POOL = 'vd-ui-pool';
const BASE = 'vd-ui-base.qcow2';
const NAME = 'vd-ui-wizard';
const GROUP = 'vd-ui-grp';

describeWithLab('create-VM wizard in the browser (real lab)', (getLab) => {
  let served: Served;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let client: Client;
  let socket: WebSocket;
  let hostId = '';
  let taskId = 0;

  /** The test's own domains: the wizard's VM and the group's instances. */
  const ours = () =>
    (virshMaybe(getLab(), 'list', '--all', '--name') ?? '')
      .split('\n')
      .map((l) => l.trim())
      .filter((n) => n === NAME || n.startsWith(`${GROUP}-`));
  const cleanVm = () => {
    for (const name of ours()) {
      const uuid = virshMaybe(getLab(), 'domuuid', '--domain', name);
      if (uuid) removeDomain(getLab(), uuid);
    }
  };
  /** Volume names of a pool (this virsh has no `vol-list --name`: the table's first column). */
  const volumesOf = (out: string | null) =>
    (out ?? '')
      .split('\n')
      .slice(2)
      .map((l) => l.trim().split(/\s+/)[0] ?? '')
      .filter(Boolean)
      .sort();
  const cleanPool = () => {
    if (virshMaybe(getLab(), 'pool-info', '--pool', POOL) === null) return;
    for (const v of volumesOf(virshMaybe(getLab(), 'vol-list', '--pool', POOL)))
      virshMaybe(getLab(), 'vol-delete', '--pool', POOL, '--vol', v);
    virshMaybe(getLab(), 'pool-destroy', '--pool', POOL);
    virshMaybe(getLab(), 'pool-undefine', '--pool', POOL);
  };
  const volumes = () => volumesOf(virsh(getLab(), 'vol-list', '--pool', POOL));

  beforeAll(async () => {
    const lab = getLab();
    cleanVm();
    cleanPool();
    const dir = join(tempDir('vd-ui-pool'), 'pool');
    mkdirSync(dir);
    virsh(lab, 'pool-create-as', '--name', POOL, '--type', 'dir', '--target', dir); // transient
    virsh(lab, 'vol-create-as', '--pool', POOL, '--name', BASE, '--capacity', '16M', '--format', 'qcow2');

    const dataDir = tempDir('e2e-deploy');
    const port = lab.ports[0] ?? 22;
    new HostKeyStore(join(dataDir, 'trusted-host-keys.json')).trust(
      lab.host,
      port,
      'ssh-ed25519',
      fingerprintOf(lab.hostPubKeyPath),
    );
    served = await startServe(dataDir);
    socket = new WebSocket(`${served.origin.replace('http', 'ws')}/rpc?token=${served.token}`);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    client = createClient(webSocketClientTransport(socket));
    const host = await client.call('hosts.add', {
      name: 'lab-hv',
      address: lab.host,
      port,
      user: 'vdmon',
      identityFile: lab.keyPath,
      uri: lab.uri,
      intervalSec: 2,
    });
    hostId = host.config.id;
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: served.origin });
    page = await context.newPage();
  });
  afterAll(async () => {
    client?.close();
    socket?.close();
    await browser?.close();
    await served?.stop();
    cleanVm();
    cleanPool();
  });

  const next = () => page.getByTestId('deploy-next').click();
  const pick = async (testid: string, text: string) => {
    await page.getByTestId(testid).click();
    await page.locator('.n-base-select-option', { hasText: text }).first().click();
    await expect.poll(() => page.locator('.n-base-select-menu:visible').count()).toBe(0);
  };

  it('step 1: a name and automatic placement, with the ranking and why', async () => {
    await page.goto(served.url);
    await page.getByTestId('nav-vms').click();
    await page.getByTestId('create-vm').click();
    await page.getByTestId('deploy-step-placement').waitFor({ timeout: 30_000 });
    // Next refuses an empty name, with the reason under the field
    await next();
    await page.getByTestId('step-blocked').waitFor();
    expect(await page.getByTestId('deploy-step-placement').textContent()).toMatch(/Invalid name: name is required/);
    await page.getByTestId('deploy-name').locator('input').fill(NAME);
    await page.getByTestId('placement-auto').click();
    const row = page.locator('[data-testid=placement-row][data-host="lab-hv"]');
    await row.waitFor({ timeout: 30_000 });
    expect(await row.textContent()).toMatch(/^1lab-hveligible/);
    expect(await page.getByTestId('placement-summary').textContent()).toMatch(/lab-hv/);
    await screenshot(page, 'wizard-1-placement');
    await next();
  });

  it('step 2: the base image from the test’s pool as a qcow2 overlay', async () => {
    await page.getByTestId('deploy-step-source').waitFor();
    expect(await page.getByTestId('source-overlay').locator('input').isChecked()).toBe(true);
    await pick('deploy-base', BASE);
    await expect.poll(() => page.getByTestId('deploy-pool').textContent()).toMatch(POOL);
    await screenshot(page, 'wizard-2-source');
    await next();
  });

  it('step 3: size checked against the host as it is typed', async () => {
    await page.getByTestId('deploy-step-size').waitFor();
    await page.getByTestId('host-capacity').waitFor();
    const memory = page.getByTestId('deploy-memory').locator('input');
    // more memory than the host has free: a field-level error, and Next refuses
    await memory.fill('99999999');
    await memory.blur();
    await expect
      .poll(() => page.getByTestId('deploy-step-size').textContent())
      .toMatch(/More than the host’s free memory/);
    await next();
    await page.getByTestId('step-blocked').waitFor();
    await memory.fill('64');
    await memory.blur();
    const disk = page.getByTestId('deploy-disk').locator('input');
    await disk.fill('8');
    await disk.blur();
    await expect
      .poll(() => page.getByTestId('deploy-step-size').textContent())
      .toMatch(/Smaller than the base image \(16 MiB\)/);
    await disk.fill('16');
    await disk.blur();
    await page.getByTestId('virt-qemu').click(); // the lab's guests are emulated
    await expect.poll(() => page.getByTestId('deploy-step-size').textContent()).not.toMatch(/Smaller than|More than/);
    await screenshot(page, 'wizard-3-size');
    await next();
  });

  it('step 4: no network', async () => {
    await page.getByTestId('deploy-step-network').waitFor();
    expect(await page.getByTestId('net-none').locator('input').isChecked()).toBe(true);
    await screenshot(page, 'wizard-4-network');
    await next();
  });

  it('step 5: cloud-init with a user and an SSH key (the lab has genisoimage)', async () => {
    await page.getByTestId('deploy-step-cloudInit').waitFor();
    await page.getByTestId('seed-tool').waitFor();
    await page.getByTestId('cloudinit-on').click();
    await page.getByTestId('ci-user').locator('input').fill('ops');
    const key = getLab().keyPath + '.pub';
    const pub = existsSync(key) ? readFileSync(key, 'utf8').trim() : 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE2e vd-ui';
    await page.getByTestId('ci-keys').locator('textarea').fill(`not a key\n${pub}`);
    await next();
    await expect.poll(() => page.getByTestId('deploy-step-cloudInit').textContent()).toMatch(/one public key line/);
    await page.getByTestId('ci-keys').locator('textarea').fill(pub);
    await screenshot(page, 'wizard-5-cloud-init');
    await next();
  });

  it('step 6: the domain XML, read-only and copyable', async () => {
    await page.getByTestId('deploy-step-review').waitFor();
    const xml = page.getByTestId('domain-xml');
    await xml.waitFor({ timeout: 30_000 });
    const text = (await xml.textContent()) ?? '';
    expect(text).toContain(`<name>${NAME}</name>`);
    expect(text).toMatch(/<domain[^>]*type="qemu"|<domain[^>]*type='qemu'/);
    expect(text).toMatch(/qcow2/); // the overlay disk
    await page.getByTestId('copy-xml').click();
    await expect.poll(() => page.evaluate<string>('navigator.clipboard.readText()')).toBe(text);
    expect(await page.getByTestId('planned-steps').textContent()).toMatch(/define/);
    await screenshot(page, 'wizard-6-review');
  });

  it('creates the VM and shows the task’s step log live until it runs', async () => {
    await page.getByTestId('deploy-create').click();
    await page.waitForURL(/#\/tasks\?task=\d+/);
    taskId = Number(new URL(page.url().replace('#', '')).searchParams.get('task'));
    const row = page.locator(`[data-testid=task-row][data-task="${taskId}"]`);
    await row.waitFor();
    const steps = page.getByTestId('task-steps');
    await steps.waitFor();
    // live: the log grows while the task runs
    const counts: number[] = [];
    await expect
      .poll(
        async () => {
          counts.push(await steps.getByTestId('task-step').count());
          return row.getAttribute('data-state');
        },
        { timeout: 120_000, interval: 250 },
      )
      .toBe('succeeded');
    const final = await steps.getByTestId('task-step').count();
    expect(final).toBeGreaterThanOrEqual(4);
    expect(counts.some((c) => c < final)).toBe(true);
    expect(await steps.textContent()).toMatch(/define/);
    await screenshot(page, 'wizard-7-task-log');
    expect(virsh(getLab(), 'domstate', '--domain', NAME)).toBe('running');
    // the collector sees it running too
    await page.getByTestId('nav-vms').click();
    await page.getByTestId('grid-search').locator('input').fill(NAME); // the demo fleet is listed too
    const vmRow = page.getByTestId('vm-row').filter({ hasText: NAME });
    await vmRow.locator('[data-state="running"]').waitFor({ timeout: 30_000 });
    expect(volumes().length).toBeGreaterThan(1); // the overlay (and seed) beside the base
  });

  it('deletes the VM with its storage from its page: only the base is left', async () => {
    const uuid = virsh(getLab(), 'domuuid', '--domain', NAME);
    await page.goto(`${served.origin}/#/vms/${hostId}/${uuid}`);
    await expect.poll(() => page.getByTestId('vm-detail-name').textContent(), { timeout: 20_000 }).toBe(NAME);
    await page.getByTestId('vm-actions').click();
    await page.getByTestId('vm-action-delete').click();
    await page.getByTestId('vm-action-dialog').waitFor();
    await page.getByTestId('vm-action-remove-storage').click();
    await page.getByTestId('vm-action-confirm-name').locator('input').fill(NAME);
    await page.getByTestId('vm-action-run').click();
    await page.waitForURL(/#\/tasks$/);
    const row = page.locator('[data-testid=task-row]').first();
    await expect.poll(() => row.getAttribute('data-state'), { timeout: 60_000 }).toBe('succeeded');
    expect(virshMaybe(getLab(), 'dominfo', '--domain', NAME)).toBeNull();
    virsh(getLab(), 'pool-refresh', '--pool', POOL);
    expect(volumes()).toEqual([BASE]);
  });

  it('opens from a host’s page, saves the template as a group and scales it 0 → 1 → 0 from Groups', async () => {
    // from the host's page: the wizard opens with that host chosen
    await page.goto(`${served.origin}/#/hosts/${hostId}`);
    await page.getByTestId('host-create-vm').click();
    await page.getByTestId('deploy-name').locator('input').fill(`${GROUP}-template`);
    expect(await page.getByTestId('deploy-host').textContent()).toBe('lab-hv');
    await next();
    await pick('deploy-base', BASE);
    await next();
    await page.getByTestId('deploy-memory').locator('input').fill('64');
    await page.getByTestId('deploy-disk').locator('input').fill('16');
    await page.getByTestId('deploy-disk').locator('input').blur();
    await page.getByTestId('virt-qemu').click();
    await next();
    await next();
    await next();
    await page.getByTestId('deploy-step-review').waitFor();
    await page.getByPlaceholder('Group name').fill(GROUP);
    await page.getByTestId('save-group').click();
    await page.waitForURL(/#\/groups$/);
    const group = page.locator(`[data-testid=group][data-group="${GROUP}"]`);
    await expect
      .poll(() => group.getByTestId('group-count').textContent(), { timeout: 20_000 })
      .toBe('0 of 0 instances');

    await group.getByTestId('group-target').locator('input').fill('1');
    await group.getByTestId('group-scale').click();
    const instance = group.locator(`[data-testid=group-instance][data-vm="${GROUP}-1"]`);
    await instance.locator('[data-state="running"]').waitFor({ timeout: 120_000 });
    expect(await group.getByTestId('group-count').textContent()).toBe('1 of 1 instances');
    expect(await instance.textContent()).toMatch(/lab-hv/);
    expect(virsh(getLab(), 'domstate', '--domain', `${GROUP}-1`)).toBe('running');
    await screenshot(page, 'groups-1-scaled-to-1');

    await group.getByTestId('group-target').locator('input').fill('0');
    await group.getByTestId('group-scale').click();
    await instance.waitFor({ state: 'detached', timeout: 60_000 });
    await expect.poll(() => group.getByTestId('group-count').textContent()).toBe('0 of 0 instances');
    await expect.poll(ours, { timeout: 30_000 }).toEqual([]);
    virsh(getLab(), 'pool-refresh', '--pool', POOL);
    expect(volumes()).toEqual([BASE]);
    await screenshot(page, 'groups-2-scaled-to-0');

    await group.getByTestId('group-delete').click();
    await page.locator('.n-dialog').getByRole('button', { name: 'Delete group' }).click();
    await page.getByTestId('groups-empty').waitFor();
  });

  it('reads in Simplified Chinese and in the light theme', async () => {
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('locale-zh-CN').click();
    await page.getByTestId('theme-light').click();
    await page.getByTestId('nav-vms').click();
    await page.getByTestId('create-vm').click();
    await expect
      .poll(() => page.getByTestId('deploy-steps').textContent())
      .toMatch(/放置.*来源.*规格.*网络.*Cloud-init.*确认/);
    await page.getByTestId('placement-auto').click();
    await page.locator('[data-testid=placement-row][data-host="lab-hv"]').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('deploy-step-placement').textContent()).toMatch(/为何选择此主机/);
    await screenshot(page, 'wizard-8-zh-light');
  });
});
