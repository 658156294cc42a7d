// Appends each transition as one JSON line to alerts.log in the data directory, rotating at
// 1 MiB and keeping five old files.
import { appendFileSync, existsSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { LogNotifier } from '../../../shared/model/warn';
import type { SendFn } from './message';

export const LOG_MAX_BYTES = 1024 * 1024;
export const LOG_KEEP = 5;

function rotate(path: string): void {
  for (let i = LOG_KEEP - 1; i >= 1; i--) {
    if (existsSync(`${path}.${i}`)) renameSync(`${path}.${i}`, `${path}.${i + 1}`);
  }
  renameSync(path, `${path}.1`);
}

export const sendLog: SendFn<LogNotifier> = async (_config, n, ctx) => {
  const path = join(ctx.dataDir, 'alerts.log');
  const line = JSON.stringify({
    at: new Date().toISOString(),
    alarm_id: n.alarm_id,
    previous: n.previous,
    current: n.current,
    severity: n.alert.severity,
    rule: n.alert.ruleId,
    target: n.alert.target.id,
    target_name: n.alert.target.name,
    reason: n.reason,
    test: n.test || undefined,
  });
  try {
    if (statSync(path).size + line.length > LOG_MAX_BYTES) rotate(path);
  } catch {
    // no file yet
  }
  appendFileSync(path, line + '\n', { mode: 0o600 });
  return Promise.resolve();
};
