// `virtdeck export`: history as CSV from the data directory (works while the app runs: the
// database is read beside the writer).
import { writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { HOST_METRICS, VM_METRICS } from '../../shared/model/history';
import type { SeriesTarget } from '../../shared/model/history';
import { resolveDataDir } from '../config/data-dir';
import { HostConfigStore } from '../config/host-config-store';
import { HistoryStore } from '../store/history-store';
import { exportCsv } from '../store/history-query';

export const EXPORT_USAGE = `Usage: virtdeck export --host NAME [--vm NAME|UUID] --metric M[,M…] [options]
  --host NAME|ID       a configured host
  --vm NAME|UUID       a VM of that host (omit for the host's own series)
  --metric LIST        VM: ${VM_METRICS.join(', ')}
                       host: ${HOST_METRICS.join(', ')}
  --from TIME          ISO time, or a span back from now: 30m, 6h, 7d (default 1h)
  --to TIME            ISO time or "now" (default now)
  --max-points N       at most N points per series (default: every stored point)
  --out FILE           write there instead of standard output
  --data-dir DIR       VirtDeck's data directory
`;

export function parseTime(text: string, nowMs: number): number {
  if (text === 'now') return nowMs;
  const span = /^(\d+)([smhd])$/.exec(text);
  if (span) return nowMs - Number(span[1]) * { s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7 }[span[2] as 's' | 'm' | 'h' | 'd'];
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw new Error(`'${text}' is not a time (ISO 8601, "now", or 30m / 6h / 7d)`);
  return t;
}

export function exportCommand(args: string[], now = Date.now()): number {
  const { values } = parseArgs({
    args,
    options: {
      host: { type: 'string' },
      vm: { type: 'string' },
      metric: { type: 'string' },
      from: { type: 'string', default: '1h' },
      to: { type: 'string', default: 'now' },
      'max-points': { type: 'string' },
      out: { type: 'string' },
      'data-dir': { type: 'string' },
    },
    strict: true,
  });
  if (!values.host || !values.metric) throw new Error(`--host and --metric are required\n\n${EXPORT_USAGE}`);
  const dataDir = resolveDataDir({
    override: values['data-dir'],
    platform: process.platform,
    env: process.env,
    home: homedir(),
  });
  const hosts = new HostConfigStore(join(dataDir, 'hosts.json')).list();
  const host = hosts.find((h) => h.id === values.host || h.name === values.host || h.address === values.host);
  if (!host)
    throw new Error(
      `no configured host '${values.host}' in ${dataDir} (known: ${hosts.map((h) => h.name).join(', ') || 'none'})`,
    );
  const metrics = values.metric.split(',').map((m) => m.trim());
  const allowed: readonly string[] = values.vm ? VM_METRICS : HOST_METRICS;
  const unknown = metrics.filter((m) => !allowed.includes(m));
  if (unknown.length) throw new Error(`unknown metric(s) ${unknown.join(', ')}; choose from ${allowed.join(', ')}`);
  const store = new HistoryStore({ path: join(dataDir, 'history.db') });
  try {
    let target: SeriesTarget = { kind: 'host', hostId: host.id };
    if (values.vm) {
      const row = store.db
        .prepare('SELECT uuid FROM vms WHERE host_id = ? AND (uuid = ? OR name = ?) ORDER BY last_seen DESC LIMIT 1')
        .get(host.id, values.vm, values.vm) as { uuid: string } | undefined;
      if (!row) throw new Error(`no VM '${values.vm}' in the history of ${host.name}`);
      target = { kind: 'vm', hostId: host.id, uuid: row.uuid };
    }
    const maxPoints = values['max-points'] ? Number(values['max-points']) : undefined;
    if (maxPoints !== undefined && !(maxPoints >= 1)) throw new Error('--max-points must be at least 1');
    const csv = exportCsv(
      store,
      {
        series: metrics.map((metric) => ({ target, metric })),
        fromMs: parseTime(values.from, now),
        toMs: parseTime(values.to, now),
        ...(maxPoints ? { maxPoints } : {}),
      },
      now,
    );
    if (values.out) writeFileSync(values.out, csv);
    else process.stdout.write(csv);
    return 0;
  } finally {
    store.close();
  }
}
