// Tasks in the browser: tasks created through the contract (over the WebSocket, as any client
// would) show in the Tasks view live with their step log; a VM of the test's own is forced off
// and deleted from its detail view's action menu, the delete confirmed by typing its name.
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Browser, Page } from 'playwright-core';
import { HostKeyStore } from '../../src/main/ssh/host-key-store';
import { webSocketClientTransport } from '../../src/renderer/api/ws-transport';
import { createClient } from '../../src/shared/rpc/client';
import type { Client } from '../../src/shared/rpc/client';
import { describeWithLab } from '../helpers/lab';
import { launchChromium, screenshot } from '../helpers/browser';
import { startServe } from '../helpers/serve';
import type { Served } from '../helpers/serve';
import { fingerprintOf } from '../helpers/sshd';
import { defineDomain, removeDomain, virsh, virshMaybe } from '../helpers/task-lab';
import { tempDir } from '../helpers/temp';

const NAME = 'vdtask-e2e';

describeWithLab('tasks in the browser', (getLab) => {
  let served: Served;
  let browser: Browser;
  let page: Page;
  let client: Client;
  let socket: WebSocket;
  let hostId = '';
  let uuid = '';

  beforeAll(async () => {
    const lab = getLab();
    const old = virshMaybe(lab, 'domuuid', '--domain', NAME);
    if (old) removeDomain(lab, old);
    uuid = defineDomain(lab, NAME);
    const dataDir = tempDir('e2e-tasks');
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
      intervalSec: 2,
    });
    hostId = host.config.id;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
  });
  afterAll(async () => {
    client?.close();
    socket?.close();
    await browser?.close();
    await served?.stop();
    if (uuid) removeDomain(getLab(), uuid);
  });

  const settle = async (id: number) => {
    for (let i = 0; i < 300; i++) {
      const t = await client.call('tasks.get', { id });
      if (!['queued', 'running'].includes(t.state)) return t;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`task ${id} never ended`);
  };

  it('lists tasks made through the contract with state and an expandable step log', async () => {
    const ok = await client.call('vm.action', { hostId, vmUuid: uuid, action: 'start', options: {} });
    expect((await settle(ok.id)).state).toBe('succeeded');
    const bad = await client.call('vm.action', { hostId, vmUuid: uuid, action: 'resume', options: {} });
    expect((await settle(bad.id)).state).toBe('failed'); // it is running, not paused

    await page.goto(served.url);
    await page.getByTestId('nav-tasks').click();
    const okRow = page.locator(`[data-testid=task-row][data-task="${ok.id}"]`);
    const badRow = page.locator(`[data-testid=task-row][data-task="${bad.id}"]`);
    await expect.poll(() => okRow.getAttribute('data-state')).toBe('succeeded');
    await expect.poll(() => badRow.getAttribute('data-state')).toBe('failed');
    expect(await badRow.getByTestId('task-target').textContent()).toBe(NAME);
    expect(await badRow.getByTestId('task-error').textContent()).toMatch(/step 'resume' failed: error:/);
    await badRow.locator('.n-data-table-expand-trigger').click();
    const steps = page.getByTestId('task-steps');
    await steps.waitFor();
    expect(await steps.getByTestId('step-command').textContent()).toBe(
      `$ virsh -c qemu:///system resume --domain ${uuid}`,
    );
    expect(await steps.getByTestId('step-exit').textContent()).toBe('exit 1');
    expect(await steps.getByTestId('step-error').textContent()).toMatch(/not paused|not running|error/);
    await screenshot(page, 'tasks-01-list');
  });

  it('shows a task made while the view is open, live, until it ends', async () => {
    const t = await client.call('vm.action', {
      hostId,
      vmUuid: uuid,
      action: 'shutdown',
      options: { timeoutSec: 2, forceAfterTimeout: true },
    });
    const row = page.locator(`[data-testid=task-row][data-task="${t.id}"]`);
    await row.waitFor();
    await expect.poll(() => row.getAttribute('data-state'), { timeout: 30_000 }).toBe('succeeded');
    await row.locator('.n-data-table-expand-trigger').click();
    await expect.poll(() => page.locator('[data-step="force off after the timeout"]').count()).toBe(1);
    await screenshot(page, 'tasks-02-live-shutdown');
    expect(virsh(getLab(), 'domstate', '--domain', uuid)).toBe('shut off');
  });

  it('deletes the VM from its detail view once its name is typed', async () => {
    await page.goto(`${served.origin}/#/vms/${hostId}/${uuid}`);
    await expect.poll(() => page.getByTestId('vm-detail-name').textContent(), { timeout: 20_000 }).toBe(NAME);
    await page.getByTestId('vm-actions').click();
    await page.getByTestId('vm-action-delete').click();
    const dialog = page.getByTestId('vm-action-dialog');
    await dialog.waitFor();
    const run = page.getByTestId('vm-action-run');
    expect(await run.isDisabled()).toBe(true);
    await page.getByTestId('vm-action-confirm-name').locator('input').fill(`${NAME}x`);
    expect(await run.isDisabled()).toBe(true);
    await page.getByTestId('vm-action-confirm-name').locator('input').fill(NAME);
    await screenshot(page, 'tasks-03-delete-confirm');
    expect(await run.isDisabled()).toBe(false);
    await run.click();
    await page.waitForURL(/#\/tasks$/);
    const row = page.locator('[data-testid=task-row]').first();
    await expect.poll(() => row.getAttribute('data-state'), { timeout: 30_000 }).toBe('succeeded');
    expect(virshMaybe(getLab(), 'dominfo', '--domain', uuid)).toBeNull();
    uuid = '';
    await screenshot(page, 'tasks-04-deleted');
  });

  it('reads in Simplified Chinese too', async () => {
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('locale-zh-CN').click();
    await page.getByTestId('nav-tasks').click();
    await expect.poll(() => page.getByTestId('nav-tasks').textContent()).toBe('任务');
    const row = page.locator('[data-testid=task-row]').first();
    await expect.poll(() => row.locator('[data-state]').first().textContent()).toBe('成功');
    await screenshot(page, 'tasks-05-zh');
  });
});
