// kill -9 in the middle of a create (disk created, domain defined, start begun): on the next
// start the task is `interrupted` at `start`, and a rollback removes the domain and the disk.
import { spawn } from 'node:child_process';
import { afterAll, expect, it } from 'vitest';
import { createServices } from '../../src/main/services';
import type { Services } from '../../src/main/services';
import { describeWithLab } from '../helpers/lab';
import { BASE, createTestPool, removeDomainByName } from '../helpers/deploy-lab';
import type { TestPool } from '../helpers/deploy-lab';
import { virsh, virshMaybe } from '../helpers/task-lab';
import { tempDir } from '../helpers/temp';

const NAME = 'vd-deploy-crash';

function runUntilStart(dataDir: string, pool: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/helpers/deploy-crash-child.ts', dataDir, pool, NAME],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    let taskId = 0;
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
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
      else reject(new Error(`child ended (${code ?? signal}) before its task started the VM:\n${out}\n${err}`));
    });
  });
}

describeWithLab('a create task killed with SIGKILL', (getLab) => {
  let services: Services | null = null;
  let pool: TestPool | null = null;
  afterAll(async () => {
    await services?.stop();
    removeDomainByName(getLab(), NAME);
    pool?.remove();
  });

  it('is interrupted at its step after a restart; the rollback removes the domain and the disk', async () => {
    const lab = getLab();
    removeDomainByName(lab, NAME);
    pool = createTestPool(lab, 'crash');
    const dataDir = tempDir('deploy-crash');
    const id = await runUntilStart(dataDir, pool.name);
    const uuid = virsh(lab, 'domuuid', '--domain', NAME);
    expect(pool.volumes()).toHaveLength(2); // the disk was created before the crash

    services = createServices({ dataDir, mode: 'headless', version: '0.0.0-test', home: tempDir('home') });
    const engine = services.tasks.engine;
    const task = engine.get(id);
    expect(task.state).toBe('interrupted');
    expect(task.lastStep).toBe('start');
    expect(task.target).toBe(uuid);
    expect(task.steps.map((s) => [s.name, s.state])).toEqual([
      ['check the host', 'succeeded'],
      ['create the disk', 'succeeded'],
      ['define the domain', 'succeeded'],
      ['start', 'interrupted'],
    ]);
    expect(task.canRollback).toBe(true);

    engine.rollback(id);
    await engine.idle();
    const after = engine.get(id);
    expect(after.state).toBe('cancelled');
    expect(after.error).toMatch(/^rolled back at the user's request/);
    expect(after.steps.slice(4).map((s) => [s.name, s.state])).toEqual([
      ['undo: start', 'failed'], // it never started: logged, not fatal
      ['undo: define the domain', 'succeeded'],
      ['undo: create the disk', 'succeeded'],
    ]);
    expect(virshMaybe(lab, 'domstate', '--domain', uuid)).toBeNull();
    expect(pool.volumes()).toEqual([BASE]);
  }, 150_000);
});
