// The fleet simulator in a separate process (`virtdeck sim --json`, from the build in out/), so
// its work never counts against the client being measured.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export const HEADLESS = join(__dirname, '../../out/main/headless.js');

export interface SimChild {
  child: ChildProcess;
  dir: string;
  ports: number[];
  hostsJson: string;
  identityFile: string;
  /** Stops the simulator and removes its data dir (keys, hosts file; serve's history when run on it). */
  stop(): Promise<void>;
}

export function requireBuild(): string | null {
  return existsSync(HEADLESS) ? null : 'out/main/headless.js missing: run `npm run build` first';
}

export async function startSimChild(args: string[]): Promise<SimChild> {
  const child = spawn(process.execPath, [HEADLESS, 'sim', '--json', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stderr?.on('data', (d: Buffer) => process.stderr.write(d));
  const info = await new Promise<{ dir: string; ports: number[]; hostsJson: string; identityFile: string }>(
    (resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`simulator gave no details in 60 s: ${out}`)), 60_000);
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const nl = out.indexOf('\n');
        if (nl < 0) return;
        clearTimeout(timer);
        resolve(JSON.parse(out.slice(0, nl)) as never);
      });
      child.once('exit', (code) => reject(new Error(`simulator exited (${code}): ${out}`)));
    },
  );
  return {
    child,
    ...info,
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          rmSync(info.dir, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', done);
        child.kill('SIGTERM');
      }),
  };
}
