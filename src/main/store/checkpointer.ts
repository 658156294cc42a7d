// Checkpoints the history WAL on a worker thread. Copying the WAL into the database file (and
// its fsync) is the slowest part of a write when it runs inside the commit that crosses
// wal_autocheckpoint: on the main thread that was a write of several hundred ms every few
// cycles. The worker has its own connection and runs PASSIVE checkpoints, which never block the
// writer; the main connection keeps a high autocheckpoint only as a safety net.
import { Worker } from 'node:worker_threads';

/** How often the worker checkpoints. */
export const CHECKPOINT_EVERY_MS = 1000;
/** The main connection checkpoints itself only past this many WAL pages (the worker is gone). */
export const SAFETY_AUTOCHECKPOINT_PAGES = 16_000;

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.path);
const checkpoint = () => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy or gone: next time */ } };
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on('message', () => { clearInterval(timer); checkpoint(); db.close(); parentPort.close(); });
`;

export class Checkpointer {
  private readonly worker: Worker;

  constructor(path: string, everyMs = CHECKPOINT_EVERY_MS) {
    this.worker = new Worker(WORKER, {
      eval: true,
      workerData: { path, everyMs, module: require.resolve('better-sqlite3') },
    });
    this.worker.unref(); // never keeps the process alive
    this.worker.on('error', () => undefined); // the safety autocheckpoint takes over
  }

  close(): void {
    this.worker.postMessage('close');
  }
}
