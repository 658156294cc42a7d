// One simulated hypervisor's SSH server (the ssh2 package's Server) on its own loopback port:
// publickey and password logins, `exec` of one command, and the persistent `sh` (exec of a
// shell, or a `shell` request) that the collector keeps open. Can play "unreachable".
import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Server, utils } from 'ssh2';
import type { Connection, ParsedKey, ServerChannel } from 'ssh2';
import type { SimHost } from './model';
import { ShSession, runList } from './sh-sim';
import type { ShContext } from './sh-sim';

export interface SimServerOptions {
  host: SimHost;
  /** PEM/OpenSSH private host key, shared by the fleet's servers. */
  hostKey: string;
  /** The client key allowed to log in (OpenSSH public key line or PEM). */
  clientPublicKey: string;
  password: string;
  now: () => number;
  /** Brings the host up to date (incidents, counters) before a command runs. */
  refresh: () => void;
  address?: string;
}

/** A command line that starts a shell reading scripts from stdin (what ShellRunner execs). */
const SHELL = /^(exec\s+)?(env(\s+[A-Za-z_][A-Za-z0-9_]*=\S*)*\s+)?(\/bin\/|\/usr\/bin\/)?(sh|bash|dash)(\s+-s)?$/;

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

export class SimHostServer {
  private server: Server | null = null;
  private readonly clients = new Set<Connection>();
  private readonly allowed: ParsedKey;
  private boundPort = 0;

  constructor(private readonly opts: SimServerOptions) {
    const key = utils.parseKey(opts.clientPublicKey);
    if (key instanceof Error) throw new Error(`simulator: client key unreadable: ${key.message}`);
    this.allowed = (Array.isArray(key) ? key[0] : key) as ParsedKey;
  }

  get port(): number {
    return this.boundPort;
  }

  get listening(): boolean {
    return this.server !== null;
  }

  /** Listens on `port` (0: any free port) and resolves with the port. */
  async listen(port: number): Promise<number> {
    if (this.server) return this.boundPort;
    const server = new Server({ hostKeys: [this.opts.hostKey] }, (client) => this.onClient(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.opts.address ?? '127.0.0.1', () => {
        server.removeListener('error', reject);
        resolve();
      });
    });
    server.on('error', () => undefined);
    this.server = server;
    this.boundPort = (server.address() as AddressInfo).port;
    return this.boundPort;
  }

  /** Stops accepting and drops every connection (the port then refuses, as a dead host's would). */
  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const c of this.clients) c.end();
    this.clients.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private onClient(client: Connection): void {
    this.clients.add(client);
    client.on('error', () => undefined);
    client.on('close', () => this.clients.delete(client));
    client.on('authentication', (ctx) => {
      if (ctx.method === 'password') {
        const given = Buffer.from(ctx.password);
        return sameBytes(given, Buffer.from(this.opts.password)) ? ctx.accept() : ctx.reject(['publickey', 'password']);
      }
      if (ctx.method === 'publickey') {
        const k = this.allowed;
        if (ctx.key.algo !== k.type || !sameBytes(ctx.key.data, k.getPublicSSH())) {
          return ctx.reject(['publickey', 'password']);
        }
        if (!ctx.signature) return ctx.accept(); // the "would this key do?" query
        return k.verify(ctx.blob ?? Buffer.alloc(0), ctx.signature, ctx.hashAlgo) === true
          ? ctx.accept()
          : ctx.reject(['publickey', 'password']);
      }
      ctx.reject(['publickey', 'password']);
    });
    client.on('ready', () => {
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('pty', (accept) => accept?.());
        session.on('env', (accept) => accept?.());
        session.on('shell', (accept) => this.startShell(accept()));
        session.on('exec', (accept, _reject, info) => {
          if (SHELL.test(info.command.trim())) return this.startShell(accept());
          const stream = accept();
          this.opts.refresh();
          const r = runList(this.context(), info.command);
          stream.write(r.stdout);
          stream.stderr.write(r.stderr);
          stream.exit(r.code);
          stream.end();
        });
      });
    });
  }

  private context(): ShContext {
    return { host: this.opts.host, now: this.opts.now, vars: new Map([['?', '0']]) };
  }

  private startShell(stream: ServerChannel): void {
    const sh = new ShSession(this.context(), (text) => stream.write(text), this.opts.refresh);
    stream.on('data', (d: Buffer) => sh.feed(d));
    stream.on('error', () => undefined);
    stream.on('end', () => {
      stream.exit(0);
      stream.end();
    });
  }
}
