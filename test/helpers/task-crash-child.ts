// Child process for the task crash test: the real services on DATA_DIR with the lab host, a
// graceful shutdown of VM_UUID that will wait a long time; prints WAITING once the task is in
// its wait step. The parent kills it with SIGKILL there.
import { readLab } from './lab-env';
import { startTaskLab } from './task-lab';

const [dataDir, uuid] = process.argv.slice(2);
if (!dataDir || !uuid) throw new Error('usage: task-crash-child DATA_DIR VM_UUID');
const lab = readLab();
if ('missing' in lab) throw new Error(lab.missing);

async function main(data: string, vm: string): Promise<void> {
  const t = await startTaskLab(lab as Exclude<typeof lab, { missing: string }>, data);
  const task = await t.client.call('vm.action', {
    hostId: t.hostId,
    vmUuid: vm,
    action: 'shutdown',
    options: { timeoutSec: 300 },
  });
  t.client.on('task.updated', (u) => {
    if (u.id === task.id && u.steps.some((s) => s.name === 'wait until shut off' && s.state === 'running')) {
      process.stdout.write(`WAITING ${task.id}\n`);
    }
  });
}
setTimeout(() => process.exit(4), 120_000).unref(); // never outlive a broken parent
main(dataDir, uuid).catch((e: unknown) => {
  process.stderr.write(`${String(e)}\n`);
  process.exit(3);
});
