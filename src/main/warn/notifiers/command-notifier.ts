// Runs a local program (no shell) with the transition as JSON on stdin; a non-zero exit or the
// timeout is a failure, reported with the start of its stderr.
import { spawn } from 'node:child_process';
import type { CommandNotifier } from '../../../shared/model/warn';
import type { SendFn } from './message';
import { virtdeckPayload } from './webhook-notifier';

export const sendCommand: SendFn<CommandNotifier> = (config, n, _ctx, signal) =>
  new Promise<void>((resolve, reject) => {
    const [program, ...args] = config.argv;
    if (!program) return reject(new Error('no program configured'));
    const child = spawn(program, args, { stdio: ['pipe', 'ignore', 'pipe'], signal, killSignal: 'SIGKILL' });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 2000) stderr += d.toString('utf8');
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (e.name === 'AbortError') reject(new Error(`${program}: killed after ${config.timeoutMs} ms`));
      else reject(new Error(`${program}: ${e.code === 'ENOENT' ? 'not found' : e.message}`));
    });
    child.on('close', (code, sig) => {
      if (code === 0) resolve();
      else if (!signal.aborted) {
        const why = sig ? `killed by ${sig}` : `exit status ${code}`;
        reject(new Error(`${program}: ${why}${stderr.trim() ? `: ${stderr.trim().slice(0, 300)}` : ''}`));
      }
    });
    child.stdin.on('error', () => undefined); // a program that does not read stdin is fine
    child.stdin.end(JSON.stringify(virtdeckPayload(n)) + '\n');
  });
