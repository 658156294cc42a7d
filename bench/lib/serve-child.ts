// `serve` from the build in its own process, as a user starts it: the URL it prints, and stop.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { HEADLESS } from './sim-child';

export interface ServeChild {
  child: ChildProcess;
  url: string;
  /** ms from the spawn to the printed URL. */
  urlMs: number;
  stop(): Promise<void>;
}

/** `env`: added to this process's environment (e.g. VIRTDECK_HEAP_TUNING=0). */
export async function startServeChild(dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<ServeChild> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [HEADLESS, 'serve', '--port', '0', '--data-dir', dataDir, '--no-demo'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let out = '';
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+)/.exec(out);
        if (m?.[1]) resolve(m[1]);
      });
      child.once('exit', (code) => reject(new Error(`serve exited (${code}): ${out}`)));
    });
    return { child, url, urlMs: performance.now() - t0, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
