// One persistent ssh2 connection to a host, reused for every command; commands are argv arrays
// quoted in exactly one place (shell-quote.ts). Host keys are verified before anything runs.
// A session can carry the TCP stream of the next hop (ProxyJump) through forwardOut.
import { readFile } from 'node:fs/promises';
import { connect as netConnect } from 'node:net';
import type { Duplex } from 'node:stream';
import { Client, utils as sshUtils } from 'ssh2';
import type { AnyAuthMethod, ClientChannel } from 'ssh2';
import type { HostKeyVerdict } from './host-key-store';
import { SshError, describeConnectError } from './ssh-errors';
import { toShellCommand } from './shell-quote';

export interface SshAuth {
  /** Private key files to offer, in order; unreadable ones are skipped (as ssh does). */
  identityFiles: readonly string[];
  passphrase?: string | undefined;
  password?: string | undefined;
  /** ssh-agent socket, usually $SSH_AUTH_SOCK. */
  agent?: string | undefined;
}

export interface SshSessionOptions {
  address: string;
  port: number;
  user: string;
  auth: SshAuth;
  /** Decides on the server's key; anything but 'trusted' aborts the handshake. */
  verifyHostKey: (keyBlob: Buffer) => HostKeyVerdict;
  /** Supplies the transport stream instead of a TCP connection (a jump host's forwardOut). */
  openStream?: () => Promise<Duplex>;
  connectTimeoutMs?: number;
  keepaliveMs?: number;
  /** Wraps each handshake, e.g. a fleet-wide limit on concurrent connects. */
  gate?: <T>(task: () => Promise<T>) => Promise<T>;
}

export interface ExecResult {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  stdin?: string;
}

export class SshSession {
  private client: Client | null = null;
  private ready: Promise<Client> | null = null;
  readonly label: string;
  private closeListeners = new Set<() => void>();

  constructor(private readonly options: SshSessionOptions) {
    this.label = `${options.user}@${options.address}:${options.port}`;
  }

  get connected(): boolean {
    return this.client !== null;
  }

  /** Called when an established connection goes away (not for failed connects). */
  onClose(listener: () => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  /** Connects once; later calls share the same connection until it closes. */
  connect(): Promise<Client> {
    if (this.ready) return this.ready;
    const gate = this.options.gate ?? ((task) => task());
    this.ready = gate(() => this.open()).catch((e: unknown) => {
      this.ready = null;
      throw e;
    });
    return this.ready;
  }

  /** The ways to log in, in ssh's order; unreadable keys are noted, not fatal, unless alone. */
  private async authMethods(): Promise<{ methods: AnyAuthMethod[]; problems: string[]; lockedKey: boolean }> {
    const { user, auth } = this.options;
    const methods: AnyAuthMethod[] = [];
    const problems: string[] = [];
    let lockedKey = false;
    for (const file of auth.identityFiles) {
      let data: Buffer;
      try {
        data = await readFile(file);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (auth.identityFiles.length === 1) problems.push(`key file ${file} cannot be read (${code ?? 'error'})`);
        continue;
      }
      const parsed = sshUtils.parseKey(data, auth.passphrase);
      if (parsed instanceof Error) {
        const encrypted = /encrypted|passphrase|bad decrypt/i.test(parsed.message);
        if (encrypted) lockedKey = true;
        problems.push(
          encrypted
            ? `key file ${file} is encrypted: ${auth.passphrase ? 'the passphrase is wrong' : 'a passphrase is needed'}`
            : `key file ${file} is not a private key VirtDeck can read (${parsed.message})`,
        );
        continue;
      }
      methods.push({
        type: 'publickey',
        username: user,
        key: Array.isArray(parsed) ? (parsed[0] as never) : (parsed as never),
      });
    }
    if (auth.agent) methods.push({ type: 'agent', username: user, agent: auth.agent });
    if (auth.password !== undefined) {
      methods.push({ type: 'password', username: user, password: auth.password });
      const password = auth.password;
      methods.push({
        type: 'keyboard-interactive',
        username: user,
        prompt: (_name, _instructions, _lang, prompts, finish) => finish(prompts.map(() => password)),
      });
    }
    return { methods, problems, lockedKey };
  }

  private async open(): Promise<Client> {
    const { verifyHostKey, connectTimeoutMs = 5000, keepaliveMs = 15000, openStream } = this.options;
    const sock: Duplex = openStream
      ? await openStream()
      : netConnect({ host: this.options.address, port: this.options.port }).setNoDelay(true); // Nagle adds ~40 ms per round trip
    return new Promise<Client>((resolve, reject) => {
      let verdict: HostKeyVerdict | null = null;
      let settled = false;
      // Log-in methods are worked out after the host key is accepted, so errors come in the
      // order an admin checks them: reachable, right host, then credentials.
      let queue: AnyAuthMethod[] | null = null;
      let authProblems: string[] = [];
      let lockedKey = false;
      /** The methods the server says it accepts (its answer to the first, "none", request). */
      let serverMethods: string[] = [];
      let offered = 0;
      const authHandler = (left: unknown, _partial: unknown, next: (m: AnyAuthMethod | false) => void) => {
        if (Array.isArray(left)) serverMethods = left.map(String);
        const go = () => {
          const m = queue?.shift();
          if (m) offered++;
          next(m ?? false);
        };
        if (queue) return go();
        this.authMethods().then(
          (r) => {
            queue = r.methods;
            authProblems = r.problems;
            lockedKey = r.lockedKey;
            // like ssh: ask with "none" first; the refusal lists what the server accepts
            next({ type: 'none', username: this.options.user });
          },
          () => {
            queue = [];
            go();
          },
        );
      };
      /** Which secret the user could give (again) to get in: a locked key's, else a password the server takes. */
      const needs = (): { needs?: 'password' | 'passphrase' } => {
        if (lockedKey) return { needs: 'passphrase' };
        const acceptsPassword = serverMethods.includes('password') || serverMethods.includes('keyboard-interactive');
        return acceptsPassword ? { needs: 'password' } : {};
      };
      const client = new Client();
      const fail = (e: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        client.end();
        sock.destroy();
        if (verdict?.kind === 'unknown') {
          reject(
            new SshError('hostkey-unknown', `${this.label}: unknown host key ${verdict.fingerprint}; not trusted yet`, {
              algorithm: verdict.algorithm,
              fingerprint: verdict.fingerprint,
              host: this.options.address,
              port: this.options.port,
            }),
          );
        } else if (verdict?.kind === 'mismatch') {
          reject(
            new SshError(
              'hostkey-mismatch',
              `${this.label}: HOST KEY CHANGED — the server now presents ${verdict.fingerprint}, but ${verdict.expected} was trusted. ` +
                'Someone may be intercepting the connection, or the host was reinstalled. Nothing was read.',
              {
                algorithm: verdict.algorithm,
                fingerprint: verdict.fingerprint,
                expected: verdict.expected,
                host: this.options.address,
                port: this.options.port,
              },
            ),
          );
        } else {
          const err = describeConnectError(e, this.label);
          if (err.kind === 'auth' && offered === 0) {
            // nothing could be offered: say why (keys unreadable or locked, no agent, no password)
            const why = authProblems.length
              ? authProblems.join('; ')
              : `${this.label}: no way to log in (no readable key file, no ssh-agent, no password)`;
            reject(new SshError('config', why, needs()));
          } else if (err.kind === 'auth') {
            const message = authProblems.length ? `${err.message}; also: ${authProblems.join('; ')}` : err.message;
            reject(new SshError('auth', message, needs()));
          } else reject(err);
        }
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
        sock: sock as never,
        username: this.options.user,
        authHandler: authHandler as never,
        readyTimeout: connectTimeoutMs,
        keepaliveInterval: keepaliveMs,
        keepaliveCountMax: 3,
        hostVerifier: (key: Buffer) => {
          verdict = verifyHostKey(key);
          return verdict.kind === 'trusted';
        },
      });
    });
  }

  private drop(client: Client): void {
    if (this.client === client) {
      this.client = null;
      this.ready = null;
      this.closeListeners.forEach((l) => l());
    }
  }

  /** A TCP stream to host:port opened from this host (how ProxyJump reaches the next hop). */
  async forwardOut(host: string, port: number): Promise<Duplex> {
    const client = await this.connect();
    return new Promise((resolve, reject) =>
      client.forwardOut('127.0.0.1', 0, host, port, (e, stream) =>
        e
          ? reject(
              new SshError(
                'connect',
                `${this.label}: cannot reach ${host}:${port} through this jump host: ${e.message}`,
              ),
            )
          : resolve(stream),
      ),
    );
  }

  /** Opens a raw channel running `command` (already quoted), for long-lived use. */
  async openChannel(command: string): Promise<ClientChannel> {
    const client = await this.connect();
    return new Promise((resolve, reject) =>
      client.exec(command, (e, s) => {
        if (e) {
          this.drop(client);
          reject(new SshError('closed', `${this.label}: could not open a channel: ${e.message}`));
        } else resolve(s);
      }),
    );
  }

  /** Runs argv on the host. A timeout closes the whole connection: a hung host must not linger. */
  async exec(argv: readonly string[], { timeoutMs, signal, stdin }: ExecOptions): Promise<ExecResult> {
    const command = toShellCommand(argv);
    const stream = await this.openChannel(command);
    return new Promise<ExecResult>((resolve, reject) => {
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
        stream.close();
        finish(new SshError('closed', `${this.label}: cancelled`));
      };
      const timer = setTimeout(() => {
        this.close();
        finish(new SshError('timeout', `${this.label}: '${argv[0] ?? ''}' gave no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      stream.on('data', (d: Buffer) => out.push(d));
      stream.stderr.on('data', (d: Buffer) => err.push(d));
      stream.on('close', (code: number | null, sig: string | null) =>
        finish(null, {
          code: code ?? null,
          signal: sig ?? null,
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
        }),
      );
      if (stdin !== undefined) stream.end(stdin);
      else stream.end();
    });
  }

  close(): void {
    const c = this.client;
    this.client = null;
    this.ready = null;
    c?.end();
  }
}
