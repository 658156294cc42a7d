// A real Alertmanager (Debian's prometheus-alertmanager, installed by the lab) on a loopback
// port with its own config and data dir, for the webhook notifier's Alertmanager mode.
import type { ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startPromDaemon } from './prom-daemon';
import { freePort } from './sshd';
import { tempDir } from './temp';

export const ALERTMANAGER = '/usr/bin/prometheus-alertmanager';

export interface TestAlertmanager {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export function alertmanagerMissing(): string | null {
  return existsSync(ALERTMANAGER) ? null : `${ALERTMANAGER} not found: run \`npm run lab:up\` (installs it)`;
}

export async function startAlertmanager(): Promise<TestAlertmanager> {
  const dir = tempDir('alertmanager');
  const port = await freePort();
  const config = join(dir, 'alertmanager.yml');
  // every alert goes to a receiver that sends nothing: the API is what the test reads
  writeFileSync(config, "route:\n  receiver: 'none'\nreceivers:\n  - name: 'none'\n");
  const d = await startPromDaemon(
    ALERTMANAGER,
    [
      `--config.file=${config}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
    ],
    port,
    100,
  );
  return { url: d.url, child: d.child, stop: d.stop };
}
