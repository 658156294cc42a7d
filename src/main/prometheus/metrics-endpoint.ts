// Answering GET /metrics: the same for `serve --metrics` and the desktop app's metrics listener.
import type { IncomingMessage, ServerResponse } from 'node:http';

export type RenderMetrics = () => Promise<{ body: string; contentType: string }>;

/** Answers one /metrics request: 401 unless `allowed`, GET/HEAD only, a 500 that never leaks details. */
export function answerMetrics(
  req: IncomingMessage,
  res: ServerResponse,
  opts: { allowed: boolean; unauthorizedText: string; render: RenderMetrics; log: (line: string) => void },
): void {
  if (!opts.allowed) {
    res.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8' }).end(opts.unauthorizedText);
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  opts.render().then(
    ({ body, contentType }) =>
      res.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': 'no-store' }).end(body),
    (e: unknown) => {
      opts.log(`/metrics failed: ${(e as Error)?.stack ?? String(e)}`);
      res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end('VirtDeck: /metrics failed, see the log');
    },
  );
}
