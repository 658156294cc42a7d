// The desktop app's /metrics (Settings → Prometheus → Expose metrics): the desktop shell serves
// no HTTP, so this is a listener of its own on 127.0.0.1 that answers /metrics only, with a
// bearer token kept in a 0600 file of the data directory — the file Prometheus's
// `credentials_file` points at. `serve` has its own `--metrics` on its server instead.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MetricsExposition } from '../../shared/model/prometheus';
import { RpcError } from '../../shared/contract/errors';
import { JsonFile } from '../config/json-file';
import { bearerToken, tokenMatches } from '../headless/access-token';
import { answerMetrics } from './metrics-endpoint';
import type { RenderMetrics } from './metrics-endpoint';

export const METRICS_TOKEN_FILE = 'metrics-token';
export const DEFAULT_METRICS_PORT = 9177;

interface Stored {
  enabled: boolean;
  port: number;
}

export interface MetricsExposerDeps {
  dataDir: string;
  render: RenderMetrics;
  log: (line: string) => void;
  /** False in `serve` (its --metrics is the way there). */
  available: boolean;
}

export class MetricsExposer {
  private readonly file: JsonFile<Stored>;
  private readonly tokenPath: string;
  private server: Server | null = null;
  private listeningPort: number | null = null;
  private error: string | null = null;

  constructor(private readonly deps: MetricsExposerDeps) {
    this.file = new JsonFile<Stored>(join(deps.dataDir, 'metrics-exposition.json'), {
      enabled: false,
      port: DEFAULT_METRICS_PORT,
    });
    this.tokenPath = join(deps.dataDir, METRICS_TOKEN_FILE);
  }

  view(): MetricsExposition {
    const s = this.file.read();
    return {
      available: this.deps.available,
      enabled: s.enabled,
      port: s.port,
      url: this.listeningPort === null ? null : `http://127.0.0.1:${this.listeningPort}/metrics`,
      tokenFile: this.tokenPath,
      error: this.error,
    };
  }

  /** The token, created (random, 0600) the first time it is needed. */
  private token(): string {
    try {
      const t = readFileSync(this.tokenPath, 'utf8').trim();
      if (t.length >= 32) return t;
    } catch {
      // not there yet
    }
    const t = randomBytes(32).toString('base64url');
    writeFileSync(this.tokenPath, t, { mode: 0o600 });
    chmodSync(this.tokenPath, 0o600);
    return t;
  }

  async set(input: Stored): Promise<MetricsExposition> {
    if (!this.deps.available) {
      throw new RpcError(
        'unavailable',
        'in `virtdeck serve`, start it with --metrics instead: /metrics is then on its own port',
      );
    }
    await this.close();
    this.file.write(input);
    if (input.enabled) {
      try {
        await this.listen(input.port);
      } catch (e) {
        this.file.write({ ...input, enabled: false });
        throw new RpcError('unavailable', this.error ?? (e as Error).message);
      }
    }
    return this.view();
  }

  /** At start: listens if the setting says so (a busy port is reported in the view, not thrown). */
  async start(): Promise<void> {
    const s = this.file.read();
    if (!this.deps.available || !s.enabled) return;
    try {
      await this.listen(s.port);
    } catch {
      this.deps.log(`metrics: ${this.error ?? 'not started'}`);
    }
  }

  private async listen(port: number): Promise<void> {
    const token = this.token();
    const server = createServer((req, res) => {
      if (new URL(req.url ?? '/', 'http://x').pathname !== '/metrics') {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('VirtDeck: only /metrics here');
        return;
      }
      answerMetrics(req, res, {
        allowed: tokenMatches(token, bearerToken(req)),
        unauthorizedText: `VirtDeck: send the token of ${this.tokenPath} as \`Authorization: Bearer …\``,
        render: this.deps.render,
        log: this.deps.log,
      });
    });
    this.error = null;
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => resolve());
      });
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      this.error =
        err.code === 'EADDRINUSE'
          ? `port ${port} is in use: choose another one`
          : `cannot listen on 127.0.0.1:${port}: ${err.message}`;
      throw e;
    }
    const address = server.address();
    this.listeningPort = typeof address === 'object' && address ? address.port : port;
    this.server = server;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    this.listeningPort = null;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}
