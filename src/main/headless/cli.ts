// Plain-Node entry point (never imports electron): `virtdeck serve` and, later, the CLI tools.
import { chmodSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveDataDir } from '../config/data-dir';
import { tuneHeapForLongRun } from '../heap-tuning';
import { createServices } from '../services';
import { VERSION } from '../version';
import { newToken } from './access-token';
import { startServer } from './http-server';
import { renderMetrics } from '../prometheus/exposition';
import { COLLECT_USAGE, collectCommand } from './collect-command';
import { EXPORT_USAGE, exportCommand } from './export-command';
import { EXPORT_RULES_USAGE, exportRulesCommand } from './export-rules-command';
import { SIM_USAGE, simCommand } from './sim-command';

export const DEFAULT_PORT = 7420;

const USAGE = `VirtDeck ${VERSION} — operator console for KVM/libvirt fleets

Usage:
  virtdeck serve [--port N] [--host 127.0.0.1] [--data-dir DIR] [--no-demo] [--metrics] [--token-file F]
      Serve the console to a browser on loopback. Prints one URL with a fresh access token.
      With no hosts configured it starts a simulated demo fleet (--no-demo: not this time).
      --metrics: also /metrics in the Prometheus text format (the same token, as a cookie,
      ?token= or \`Authorization: Bearer\`; see docs/prometheus.md).
      --token-file F: also write each start's token to F (mode 0600), e.g. for Prometheus's
      \`authorization: credentials_file:\`, which is read again at every scrape.
  virtdeck collect --host [ssh://][user@]host[:port] [--once] [--json] …
      Collect one host from the terminal (see \`virtdeck collect --help\`).
  virtdeck export --host NAME [--vm NAME] --metric cpu_pct[,…] [--from 6h] [--to now] [--out FILE]
      History as CSV (see \`virtdeck export --help\`).
  virtdeck export-rules [--out FILE] [--data-dir DIR]
      The warn rules as a Prometheus alerting-rules file.
  virtdeck sim [--hosts 200] [--vms 50] [--port-base N] [--seed S] [--no-incidents] [--out DIR]
      A simulated fleet of hypervisors over SSH on loopback (see \`virtdeck sim --help\`).
  virtdeck --help | --version
`;

function fail(message: string): never {
  process.stderr.write(`virtdeck: ${message}\n`);
  process.exit(2);
}

async function serve(args: string[]): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        port: { type: 'string', default: String(DEFAULT_PORT) },
        host: { type: 'string', default: '127.0.0.1' },
        'data-dir': { type: 'string' },
        'no-demo': { type: 'boolean', default: false },
        metrics: { type: 'boolean', default: false },
        'token-file': { type: 'string' },
      },
      strict: true,
    }));
  } catch (e) {
    fail(`${(e as Error).message}\n\n${USAGE}`);
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be 0..65535, got '${values.port}'`);
  const dataDir = resolveDataDir({
    override: values['data-dir'],
    platform: process.platform,
    env: process.env,
    home: homedir(),
  });
  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  tuneHeapForLongRun(); // the same as the desktop's main process (heap-tuning.ts)
  const services = createServices({ dataDir, mode: 'headless', version: VERSION, demo: !values['no-demo'], log });
  const token = newToken();
  if (values['token-file']) {
    try {
      writeFileSync(values['token-file'], token, { mode: 0o600 });
      chmodSync(values['token-file'], 0o600); // an existing file keeps its mode otherwise
    } catch (e) {
      fail(`cannot write --token-file: ${(e as Error).message}`);
    }
  }
  let running;
  try {
    running = await startServer({
      host: values.host,
      port,
      token,
      rendererDir: join(__dirname, '../renderer'),
      services,
      log,
      metrics: values.metrics ? () => renderMetrics(services.fleet.exposition()) : undefined,
    });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE') fail(`port ${port} is in use; pass --port N (or --port 0 for any free port)`);
    fail(err.message);
  }
  services.start();
  process.stdout.write(`VirtDeck ${VERSION} (data: ${dataDir}) open: ${running.url}\n`);
  if (values.metrics) {
    const origin = new URL(running.url).origin;
    process.stdout.write(`Prometheus metrics: ${origin}/metrics (send the token as \`Authorization: Bearer …\`)\n`);
  }
  const shutdown = async (signal: string) => {
    log(`${signal}: stopping`);
    await services.stop();
    await running.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

export async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return serve(rest);
    case 'collect':
      if (rest.includes('--help') || rest.includes('-h')) {
        process.stdout.write(COLLECT_USAGE);
        return;
      }
      try {
        process.exitCode = await collectCommand(rest);
      } catch (e) {
        fail((e as Error).message);
      }
      return;
    case 'export':
      if (rest.includes('--help') || rest.includes('-h')) {
        process.stdout.write(EXPORT_USAGE);
        return;
      }
      try {
        process.exitCode = exportCommand(rest);
      } catch (e) {
        fail((e as Error).message);
      }
      return;
    case 'export-rules':
      if (rest.includes('--help') || rest.includes('-h')) {
        process.stdout.write(EXPORT_RULES_USAGE);
        return;
      }
      try {
        process.exitCode = exportRulesCommand(rest);
      } catch (e) {
        fail((e as Error).message);
      }
      return;
    case 'sim':
      if (rest.includes('--help') || rest.includes('-h')) {
        process.stdout.write(SIM_USAGE);
        return;
      }
      try {
        await simCommand(rest);
      } catch (e) {
        fail((e as Error).message);
      }
      return;
    case '--version':
    case '-v':
      process.stdout.write(`${VERSION}\n`);
      return;
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(USAGE);
      return;
    default:
      fail(`unknown command '${command}'\n\n${USAGE}`);
  }
}
