// A loopback TCP forwarder in front of the lab's sshd: a second "host" for placement tests, and
// one that can become unreachable on demand (every connection dropped, new ones refused) and
// come back on the same port.
import { connect, createServer } from 'node:net';
import type { Server, Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  /** Drops every connection and stops listening (synchronously as far as the sockets go). */
  cut(): void;
  /** Listens again on the same port. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const s = createServer((client) => {
        const upstream = connect(targetPort, targetHost);
        for (const sock of [client, upstream]) {
          sockets.add(sock);
          sock.on('close', () => sockets.delete(sock));
          sock.on('error', () => undefined);
        }
        client.pipe(upstream).pipe(client);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        server = s;
        const addr = s.address();
        resolve(typeof addr === 'object' && addr ? addr.port : port);
      });
    });
  const port = await listen(0);
  const stop = () => {
    const s = server;
    server = null;
    for (const sock of sockets) sock.destroy();
    sockets.clear();
    return s;
  };
  return {
    port,
    cut: () => void stop()?.close(),
    restore: async () => {
      if (!server) await listen(port);
    },
    close: () =>
      new Promise<void>((resolve) => {
        const s = stop();
        if (s) s.close(() => resolve());
        else resolve();
      }),
  };
}
