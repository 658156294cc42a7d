// serve mode: the built renderer over HTTP on loopback and the contract over a WebSocket at
// /rpc, both behind the access token. Anything without the token gets 401 and a plain reason.
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import type { Services } from '../services';
import { serveConnection } from '../../shared/rpc/server';
import { TOKEN_COOKIE, bearerToken, requestToken, tokenMatches } from './access-token';
import { SECURITY_HEADERS } from './security-headers';
import { answerMetrics } from '../prometheus/metrics-endpoint';
import type { RenderMetrics } from '../prometheus/metrics-endpoint';
import { webSocketServerTransport } from './ws-transport';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export const UNAUTHORIZED_TEXT =
  'VirtDeck: missing or wrong access token. Open the URL that `virtdeck serve` printed (it carries ?token=…).';

export interface ServeOptions {
  host: string;
  port: number;
  token: string;
  rendererDir: string;
  services: Services;
  log: (line: string) => void;
  /** `--metrics`: serve the Prometheus exposition at /metrics (token or `Authorization: Bearer`). */
  metrics?: RenderMetrics | undefined;
}

export interface RunningServer {
  server: Server;
  url: string;
  port: number;
  close(): Promise<void>;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  if (!isLoopback(opts.host)) {
    throw new Error(
      `refusing to listen on ${opts.host}: serve mode binds to loopback only (use an SSH tunnel to reach it)`,
    );
  }
  const authorized = (req: IncomingMessage) => {
    const { fromQuery, fromCookie } = requestToken(req);
    return tokenMatches(opts.token, fromQuery) || tokenMatches(opts.token, fromCookie);
  };

  const sendFile = async (res: ServerResponse, urlPath: string) => {
    const rel = normalize(decodeURIComponent(urlPath)).replace(/^([/\\])+/, '');
    let file = join(opts.rendererDir, rel || 'index.html');
    if (!file.startsWith(opts.rendererDir + sep) && file !== opts.rendererDir) {
      res.writeHead(400).end('bad path');
      return;
    }
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      // client-side routes fall back to the app shell
      file = join(opts.rendererDir, 'index.html');
      try {
        body = await readFile(file);
      } catch {
        res
          .writeHead(500, { 'Content-Type': 'text/plain' })
          .end('VirtDeck: the renderer is not built; run `npm run build`.');
        return;
      }
    }
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': 'no-store',
    });
    res.end(body);
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/metrics' && opts.metrics) {
      answerMetrics(req, res, {
        allowed: authorized(req) || tokenMatches(opts.token, bearerToken(req)),
        unauthorizedText: UNAUTHORIZED_TEXT,
        render: opts.metrics,
        log: opts.log,
      });
      return;
    }
    if (!authorized(req)) {
      res.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS }).end(UNAUTHORIZED_TEXT);
      return;
    }
    if (url.searchParams.has('token')) {
      // Move the token from the address bar into a cookie the page's own requests carry.
      res
        .writeHead(303, {
          'Set-Cookie': `${TOKEN_COOKIE}=${opts.token}; HttpOnly; SameSite=Strict; Path=/`,
          Location: url.pathname,
        })
        .end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    void sendFile(res, url.pathname);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  const sockets = new Set<WebSocket>();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const origin = req.headers.origin;
    const sameOrigin = !origin || origin === `http://${req.headers.host ?? ''}`;
    if (url.pathname !== '/rpc' || !authorized(req) || !sameOrigin) {
      const reason = !sameOrigin ? 'VirtDeck: cross-origin WebSocket refused.' : UNAUTHORIZED_TEXT;
      socket.end(
        `HTTP/1.1 ${sameOrigin ? '401 Unauthorized' : '403 Forbidden'}\r\nContent-Type: text/plain; charset=utf-8\r\n` +
          `Content-Length: ${Buffer.byteLength(reason)}\r\nConnection: close\r\n\r\n${reason}`,
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.once('close', () => sockets.delete(ws));
      serveConnection(webSocketServerTransport(ws), opts.services.handlers, opts.services.hub, {
        onInternalError: (method, error) =>
          opts.log(`internal error in ${method}: ${(error as Error)?.stack ?? String(error)}`),
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const hostPart = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    server,
    port,
    url: `http://${hostPart}:${port}/?token=${opts.token}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
