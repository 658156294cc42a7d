// A Prometheus-family daemon (Prometheus, Alertmanager) started for a test on a loopback port:
// its stderr kept for errors, ready when `/-/ready` answers, stopped with SIGTERM.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

export interface PromDaemon {
  url: string;
  child: ChildProcess;
  log(): string;
  stop(): Promise<void>;
}

export async function startPromDaemon(bin: string, args: string[], port: number, tries = 150): Promise<PromDaemon> {
  let log = '';
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const ready = await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (child.exitCode !== null || i > tries) throw new Error(`${bin} did not start: ${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    child,
    log: () => log,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
