// One persistent ssh2 connection to a host, reused for every command; commands are argv arrays
// quoted in exactly one place (shell-quote.ts). Host keys are verified before anything runs.
import { connect as netConnect } from 'node:net';
import type { Socket } from 'node:net';
import { Client } from 'ssh2';
import type { ClientChannel } from 'ssh2';
import { keyAlgorithm, sha256Fingerprint } from './fingerprint';
import type { HostKeyVerdict } from './host-key-store';
import { SshError, describeConnectError } from './ssh-errors';
import { toShellCommand } from './shell-quote';

export interface SshTarget {
  address: string;
  port: number;
  user: string;
  privateKey?: Buffer;
  passphrase?: string;
  agent?: string;
}

export interface SshSessionOptions {
  target: SshTarget;
  /** Decides on the server's key; anything but 'trusted' aborts the handshake. */
  verifyHostKey: (algorithm: string, fingerprint: string) => HostKeyVerdict;
  connectTimeoutMs?: number;
  keepaliveMs?: number;
}

export interface ExecResult {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  stdin?: string;
}

export class SshSession {
  private client: Client | null = null;
  private ready: Promise<Client> | null = null;
  private readonly label: string;

  constructor(private readonly options: SshSessionOptions) {
    const t = options.target;
    this.label = `${t.user}@${t.address}:${t.port}`;
  }

  get connected(): boolean {
    return this.client !== null;
  }

  /** Connects once; later calls share the same connection until it closes. */
  connect(): Promise<Client> {
    if (this.ready) return this.ready;
    this.ready = this.open().catch((e: unknown) => {
      this.ready = null;
      throw e;
    });
    return this.ready;
  }

  private open(): Promise<Client> {
    const { target, verifyHostKey, connectTimeoutMs = 5000, keepaliveMs = 15000 } = this.options;
    return new Promise<Client>((resolve, reject) => {
      let verdict: HostKeyVerdict | null = null;
      let settled = false;
      const client = new Client();
      const sock: Socket = netConnect({ host: target.address, port: target.port });
      sock.setNoDelay(true); // without it each small command round trip pays Nagle's delay
      const fail = (e: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        client.end();
        sock.destroy();
        if (verdict && verdict.kind === 'unknown') {
          reject(
            new SshError('hostkey-unknown', `${this.label}: unknown host key ${verdict.fingerprint}; not trusted yet`, {
              algorithm: verdict.algorithm,
              fingerprint: verdict.fingerprint,
            }),
          );
        } else if (verdict && verdict.kind === 'mismatch') {
          reject(
            new SshError(
              'hostkey-mismatch',
              `${this.label}: HOST KEY CHANGED — the server now presents ${verdict.fingerprint}, but ${verdict.expected} was trusted. ` +
                'Someone may be intercepting the connection, or the host was reinstalled. Nothing was read.',
              { algorithm: verdict.algorithm, fingerprint: verdict.fingerprint, expected: verdict.expected },
            ),
          );
        } else reject(describeConnectError(e, this.label));
      };
      const timer = setTimeout(
        () => fail(new SshError('timeout', `${this.label}: no SSH handshake within ${connectTimeoutMs} ms`)),
        connectTimeoutMs,
      );
      sock.once('error', fail);
      client.once('error', fail);
      client.once('ready', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        sock.removeListener('error', fail);
        client.removeListener('error', fail);
        client.on('error', () => this.drop(client));
        client.once('close', () => this.drop(client));
        this.client = client;
        resolve(client);
      });
      client.connect({
        sock,
        username: target.user,
        ...(target.privateKey ? { privateKey: target.privateKey } : {}),
        ...(target.passphrase ? { passphrase: target.passphrase } : {}),
        ...(target.agent ? { agent: target.agent } : {}),
        readyTimeout: connectTimeoutMs,
        keepaliveInterval: keepaliveMs,
        keepaliveCountMax: 3,
        hostVerifier: (key: Buffer) => {
          verdict = verifyHostKey(keyAlgorithm(key), sha256Fingerprint(key));
          return verdict.kind === 'trusted';
        },
      });
    });
  }

  private drop(client: Client): void {
    if (this.client === client) {
      this.client = null;
      this.ready = null;
    }
  }

  /** Runs argv on the host. A timeout closes the whole connection: a hung host must not linger. */
  async exec(argv: readonly string[], { timeoutMs, signal, stdin }: ExecOptions): Promise<ExecResult> {
    const command = toShellCommand(argv);
    const client = await this.connect();
    return new Promise<ExecResult>((resolve, reject) => {
      let stream: ClientChannel | null = null;
      let done = false;
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      const finish = (e: Error | null, result?: ExecResult) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (e) reject(e);
        else resolve(result as ExecResult);
      };
      const onAbort = () => {
        stream?.close();
        finish(new SshError('closed', `${this.label}: cancelled`));
      };
      const timer = setTimeout(() => {
        this.close();
        finish(new SshError('timeout', `${this.label}: '${argv[0] ?? ''}' gave no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      client.exec(command, (e, s) => {
        if (e) {
          this.drop(client);
          return finish(new SshError('closed', `${this.label}: could not start a command: ${e.message}`));
        }
        stream = s;
        s.on('data', (d: Buffer) => out.push(d));
        s.stderr.on('data', (d: Buffer) => err.push(d));
        s.on('close', (code: number | null, sig: string | null) =>
          finish(null, {
            code: code ?? null,
            signal: sig ?? null,
            stdout: Buffer.concat(out).toString('utf8'),
            stderr: Buffer.concat(err).toString('utf8'),
          }),
        );
        if (stdin !== undefined) s.end(stdin);
        else s.end();
      });
    });
  }

  close(): void {
    const c = this.client;
    this.client = null;
    this.ready = null;
    c?.end();
  }
}
