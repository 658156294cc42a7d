// Child process for the crash test: writes host cycles into a history database as fast as it
// can (a simulated minute apart, so hours seal often) and prints each cycle's time once the
// write has returned. The parent kills it with SIGKILL at a random moment.
import { HistoryStore } from '../../src/main/store/history-store';
import { snapshot } from './snapshots';

const [path, startArg] = process.argv.slice(2);
if (!path || !startArg) throw new Error('usage: crash-writer DB START_MS');
let now = Number(startArg);
const store = new HistoryStore({ path, now: () => now, sealDelaySec: () => 0 });
for (let i = 0; i < 200_000; i++) {
  now += 60_000;
  store.write(snapshot('h1', now, 50));
  if (!store.status.ok) {
    process.stderr.write(`write failed: ${store.status.message}\n`);
    process.exit(3);
  }
  process.stdout.write(`${now}\n`);
}
