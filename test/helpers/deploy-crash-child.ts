// Child process for the create crash test: the real services on DATA_DIR with the lab host; a
// VM created from POOL's base volume. When the task's `start` step has begun (disk created,
// domain defined), prints WAITING <task id> and freezes its event loop, so the parent's SIGKILL
// lands exactly there.
import type { Task } from '../../src/shared/model/task';
import { readLab } from './lab-env';
import { startTaskLab } from './task-lab';

const [dataDir, pool, name] = process.argv.slice(2);
if (!dataDir || !pool || !name) throw new Error('usage: deploy-crash-child DATA_DIR POOL NAME');
const lab = readLab();
if ('missing' in lab) throw new Error(lab.missing);

async function main(data: string, poolName: string, vmName: string): Promise<void> {
  const t = await startTaskLab(lab as Exclude<typeof lab, { missing: string }>, data);
  t.services.hub.subscribe((event, payload) => {
    const task = payload as Task;
    if (event !== 'task.updated' || task.targetName !== vmName) return;
    if (task.steps.some((s) => s.name === 'start' && s.state === 'running')) {
      process.stdout.write(`WAITING ${task.id}\n`); // a pipe: written before the next line runs
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
    }
  });
  await t.client.call('deploy.create', {
    name: vmName,
    placement: { mode: 'host', hostId: t.hostId },
    template: {
      source: { kind: 'overlay', base: { pool: poolName, volume: 'base.qcow2' } },
      pool: poolName,
      vcpus: 1,
      memoryMiB: 32,
      diskMiB: 32,
      virtType: 'qemu',
    },
  });
}
setTimeout(() => process.exit(4), 120_000).unref(); // never outlive a broken parent
main(dataDir, pool, name).catch((e: unknown) => {
  process.stderr.write(`${String(e)}\n`);
  process.exit(3);
});
