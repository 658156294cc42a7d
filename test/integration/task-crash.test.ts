// kill -9 in the middle of a real lifecycle task: on the next start the task is `interrupted`
// with the step it was in, nothing is lost from its log, and it can be retried (and the retry
// cancelled while it waits).
import { spawn } from 'node:child_process';
import { afterAll, expect, it } from 'vitest';
import { createServices } from '../../src/main/services';
import type { Services } from '../../src/main/services';
import { describeWithLab } from '../helpers/lab';
import { defineDomain, removeDomain, virsh, virshMaybe } from '../helpers/task-lab';
import { tempDir } from '../helpers/temp';

const NAME = 'vdtask-crash';

function runUntilWaiting(dataDir: string, uuid: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/task-crash-child.ts', dataDir, uuid], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let taskId = 0;
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /WAITING (\d+)/.exec(out);
      if (m && !taskId) {
        taskId = Number(m[1]);
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL' && taskId) resolve(taskId);
      else reject(new Error(`child ended (${code ?? signal}) before its task waited:\n${out}\n${err}`));
    });
  });
}

describeWithLab('a task killed with SIGKILL', (getLab) => {
  let uuid = '';
  let services: Services | null = null;
  afterAll(async () => {
    await services?.stop();
    if (uuid) removeDomain(getLab(), uuid);
  });

  it('is interrupted after a restart, with its last step; a retry runs and can be cancelled', async () => {
    const lab = getLab();
    const old = virshMaybe(lab, 'domuuid', '--domain', NAME);
    if (old) removeDomain(lab, old);
    uuid = defineDomain(lab, NAME);
    virsh(lab, 'start', '--domain', uuid);
    const dataDir = tempDir('task-crash');
    const id = await runUntilWaiting(dataDir, uuid);

    services = createServices({ dataDir, mode: 'headless', version: '0.0.0-test', home: tempDir('home') });
    const task = services.handlers['tasks.get']({ id }, { signal: new AbortController().signal }) as Awaited<
      ReturnType<Services['handlers']['tasks.get']>
    >;
    expect(task.state).toBe('interrupted');
    expect(task.lastStep).toBe('wait until shut off');
    expect(task.error).toMatch(/VirtDeck stopped during step 'wait until shut off'; roll it back or retry it/);
    expect(task.steps.map((s) => [s.name, s.state])).toEqual([
      ['ask the guest to shut down', 'succeeded'],
      ['wait until shut off', 'interrupted'],
    ]);
    expect(task.steps[1]?.command).toBe(`virsh -c qemu:///system domstate --domain ${uuid}`);
    expect(services.tasks.engine.recovered).toEqual([id]);
    // nothing to undo in a shutdown: rollback says so; retry makes a new task
    expect(() => services?.tasks.engine.rollback(id)).toThrow(/no completed step left to undo/);
    const retry = services.tasks.engine.retry(id);
    expect(retry.params.retryOf).toBe(id);
    const engine = services.tasks.engine;
    for (let i = 0; i < 200 && !engine.get(retry.id).steps.some((s) => s.name === 'wait until shut off'); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    engine.cancel(retry.id);
    await engine.idle();
    const cancelled = engine.get(retry.id);
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.steps.at(-1)).toMatchObject({
      name: 'wait until shut off',
      state: 'failed',
      error: 'cancelled by the user',
    });
    expect(virsh(lab, 'domstate', '--domain', uuid)).toBe('running');
  });
});
