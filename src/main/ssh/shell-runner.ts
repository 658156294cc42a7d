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
  /** Bytes in chunks. */
  private size = 0;
  /** The last bytes seen (one marker length less one): a marker split across two packets. */
  private edge: Buffer = Buffer.alloc(0);
  /** Offset in chunks of the pending run's marker once seen (its line may still be incomplete). */
  private markerAt = -1;
  private pending: Pending | null = null;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly session: SshSession) {}

  private async open(): Promise<ClientChannel> {
    if (this.channel) return this.channel;
    this.opening ??= this.session
      .openChannel(SHELL_COMMAND)
      .then((ch) => {
        this.channel = ch;
        this.reset([]);
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

  private reset(chunks: Buffer[]): void {
    this.chunks = chunks;
    this.size = chunks.reduce((a, c) => a + c.length, 0);
    this.edge = Buffer.alloc(0);
    this.markerAt = -1;
  }

  /**
   * Output arrives in packets of a few KiB; a run's output is joined once, when its marker has
   * arrived. Each packet is searched once (and the few bytes around its start, for a marker
   * split across packets), rather than joining and searching everything so far on every packet,
   * which copied a 90 KB output a dozen times over.
   */
  private onData(d: Buffer): void {
    const start = this.size;
    this.chunks.push(d);
    this.size += d.length;
    const p = this.pending;
    if (!p) return;
    if (this.markerAt < 0) {
      const keep = p.marker.length - 1;
      if (this.edge.length) {
        const at = Buffer.concat([this.edge, d.subarray(0, keep)]).indexOf(p.marker);
        if (at >= 0) this.markerAt = start - this.edge.length + at;
      }
      if (this.markerAt < 0) {
        const at = d.indexOf(p.marker);
        if (at >= 0) this.markerAt = start + at;
      }
      this.edge =
        d.length >= keep
          ? Buffer.from(d.subarray(d.length - keep))
          : Buffer.from(Buffer.concat([this.edge, d]).subarray(-keep));
      if (this.markerAt < 0) return;
    }
    const all = this.chunks.length === 1 ? d : Buffer.concat(this.chunks, this.size);
    this.chunks = [all];
    const at = this.markerAt;
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
    this.reset(eol + 1 < all.length ? [Buffer.from(all.subarray(eol + 1))] : []);
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
      this.markerAt = -1;
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
