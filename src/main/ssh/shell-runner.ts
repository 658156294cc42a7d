// Runs scripts in ONE long-lived `sh` on the host instead of a new exec channel per cycle:
// sshd starts the user's login shell (and its rc files) once, not every cycle. Each run ends
// with a random marker line carrying the exit status, which no output can forge.
import { randomBytes } from 'node:crypto';
import type { ClientChannel } from 'ssh2';
import type { SshSession } from './ssh-session';
import { SshError } from './ssh-errors';

export interface ShellResult {
  output: string;
  code: number;
}

/** The shell every script runs in: POSIX sh, C locale so virsh and tools print parseable text. */
export const SHELL_COMMAND = 'exec env LC_ALL=C LANG=C /bin/sh';

interface Pending {
  marker: Buffer;
  resolve: (r: ShellResult) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export class ShellRunner {
  private channel: ClientChannel | null = null;
  private opening: Promise<ClientChannel> | null = null;
  private chunks: Buffer[] = [];
  private pending: Pending | null = null;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly session: SshSession) {}

  private async open(): Promise<ClientChannel> {
    if (this.channel) return this.channel;
    this.opening ??= this.session
      .openChannel(SHELL_COMMAND)
      .then((ch) => {
        this.channel = ch;
        this.chunks = [];
        ch.on('data', (d: Buffer) => this.onData(d));
        ch.stderr.on('data', () => undefined); // scripts redirect stderr; drain anything else
        ch.on('close', () => this.onClose(ch));
        return ch;
      })
      .finally(() => {
        this.opening = null;
      });
    return this.opening;
  }

  private onData(d: Buffer): void {
    this.chunks.push(d);
    const p = this.pending;
    if (!p) return;
    const all = this.chunks.length === 1 ? d : Buffer.concat(this.chunks);
    this.chunks = [all];
    const at = all.indexOf(p.marker);
    if (at < 0) return;
    const eol = all.indexOf(0x0a, at + p.marker.length);
    if (eol < 0) return;
    const code = Number(
      all
        .subarray(at + p.marker.length, eol)
        .toString('ascii')
        .trim(),
    );
    // the script's own output ends with the newline printed just before the marker
    const output = all.subarray(0, at > 0 && all[at - 1] === 0x0a ? at - 1 : at).toString('utf8');
    // copy what follows the marker (usually nothing): a subarray would keep the whole run's
    // output buffer alive until the next run (~20 MB across a 200-host fleet, collector bench)
    this.chunks = eol + 1 < all.length ? [Buffer.from(all.subarray(eol + 1))] : [];
    this.pending = null;
    clearTimeout(p.timer);
    p.resolve({ output, code });
  }

  private onClose(ch: ClientChannel): void {
    if (this.channel !== ch) return;
    this.channel = null;
    const p = this.pending;
    this.pending = null;
    if (p) {
      clearTimeout(p.timer);
      p.reject(new SshError('closed', `${this.session.label}: the remote shell ended`));
    }
  }

  /** Runs a script; runs are serialised. On timeout the whole connection is dropped. */
  run(script: string, timeoutMs: number): Promise<ShellResult> {
    const next = this.tail.then(() => this.runNow(script, timeoutMs));
    this.tail = next.catch(() => undefined);
    return next;
  }

  private async runNow(script: string, timeoutMs: number): Promise<ShellResult> {
    const ch = await this.open();
    const marker = `\u001eVD${randomBytes(9).toString('hex')}:`;
    return new Promise<ShellResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending = null;
        this.close();
        this.session.close();
        reject(new SshError('timeout', `${this.session.label}: no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending = { marker: Buffer.from(marker, 'utf8'), resolve, reject, timer };
      // stdin from /dev/null so no command can swallow the next script; stderr folded in
      ch.write(`{\n${script}\n} </dev/null 2>&1; printf '\\n${marker}%d\\n' "$?"\n`);
    });
  }

  close(): void {
    const ch = this.channel;
    this.channel = null;
    ch?.close();
  }
}
