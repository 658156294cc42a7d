// Runs scripts in ONE long-lived `sh` on the host instead of a new exec channel per cycle:
// sshd starts the user's login shell (and its rc files) once, not every cycle. Each run ends
// with a random marker line carrying the exit status, which no output can forge.
import { randomBytes } from 'node:crypto';
import type { ClientChannel } from 'ssh2';
import type { SshSession } from './ssh-session';
import { SshError } from './ssh-errors';

export interface ShellResult {
  /**
   * The run's output as received, undecoded: the collector splits and parses it as bytes, so a
   * cycle's ~90 KB domstats output never becomes one big string (and no small string sliced from
   * it keeps it alive until the next cycle).
   */
  bytes: Buffer;
  code: number;
}

/** The shell every script runs in: POSIX sh, C locale so virsh and tools print parseable text. */
export const SHELL_COMMAND = 'exec env LC_ALL=C LANG=C /bin/sh';

const EMPTY = Buffer.alloc(0);
/** Least room given to a run's output, and the slack on top of the last run's size. */
const MIN_ROOM = 16 * 1024;

interface Pending {
  marker: Buffer;
  resolve: (r: ShellResult) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export class ShellRunner {
  private channel: ClientChannel | null = null;
  private opening: Promise<ClientChannel> | null = null;
  /** What has arrived for the current run, in bytes [0, size) of a buffer of its own. */
  private buf: Buffer = EMPTY;
  private size = 0;
  /** Size of the last run's output: the next run's buffer is allocated to fit it at once. */
  private lastSize = 0;
  /** A buffer of an earlier run whose result was handed back (release): the next one to fill. */
  private spare: Buffer | null = null;
  /** Offset in buf of the pending run's marker once seen (its line may still be incomplete). */
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
        this.reset(EMPTY);
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

  /** Starts over with `rest` (bytes that followed the last marker, copied). */
  private reset(rest: Buffer): void {
    this.buf = rest;
    this.size = rest.length;
    this.markerAt = -1;
  }

  /**
   * Room for at least `need` bytes, keeping what has arrived: in the spare buffer if it is big
   * enough, else in a new one of `room` bytes (or twice the current one).
   */
  private reserve(need: number, room = need): void {
    if (need <= this.buf.length) return;
    const spare = this.spare;
    let grown: Buffer;
    if (spare && spare.length >= need) {
      grown = spare;
      this.spare = null;
    } else {
      // never from Node's shared pool: a released buffer must be this run's alone to overwrite
      grown = Buffer.allocUnsafeSlow(Math.max(room, 2 * this.buf.length, MIN_ROOM));
    }
    this.buf.copy(grown, 0, 0, this.size);
    this.buf = grown;
  }

  /**
   * Hands a result's buffer back for a later run to fill, instead of allocating a new one every
   * cycle (~20 MB a cycle across a 200-host fleet). The caller promises that nothing reads
   * `result.bytes`, or any view into it, afterwards; results never released are never reused.
   */
  release(result: ShellResult): void {
    const whole = result.bytes.buffer;
    if (!(whole instanceof ArrayBuffer) || whole === this.buf.buffer || whole.byteLength < MIN_ROOM) return;
    if (this.spare && this.spare.length >= whole.byteLength) return;
    this.spare = Buffer.from(whole, 0, whole.byteLength);
  }

  /**
   * Output arrives in packets of a few KiB. Each is copied, as it arrives, into one buffer sized
   * from the last run's output, so ssh2's packet buffers die at once instead of being held (and
   * promoted to V8's old generation) until the run ends and then joined, and each packet is
   * searched for the marker once, with the few bytes before it (a marker split across packets).
   */
  private onData(d: Buffer): void {
    const start = this.size;
    this.reserve(start + d.length);
    d.copy(this.buf, start);
    this.size += d.length;
    const p = this.pending;
    if (!p) return;
    const all = this.buf.subarray(0, this.size);
    if (this.markerAt < 0) {
      this.markerAt = all.indexOf(p.marker, Math.max(0, start - (p.marker.length - 1)));
      if (this.markerAt < 0) return;
    }
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
    const bytes = all.subarray(0, at > 0 && all[at - 1] === 0x0a ? at - 1 : at);
    this.lastSize = bytes.length;
    // copy what follows the marker (usually nothing): a view would keep the whole run's output
    // alive until the next run (~20 MB across a 200-host fleet, collector bench), and the next
    // run's output must not be written into the buffer this one's result is a view of
    this.reset(eol + 1 < all.length ? Buffer.from(all.subarray(eol + 1)) : EMPTY);
    this.pending = null;
    clearTimeout(p.timer);
    p.resolve({ bytes, code });
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
    // the queue waits for the run but must not hold its result: `next.catch()` would resolve to
    // it and keep the last output of every host alive until the next cycle
    this.tail = next.then(
      () => undefined,
      () => undefined,
    );
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
      // room for an output like the last one: a spare that holds it is reused as it is (outputs
      // grow by a few bytes from cycle to cycle), a new buffer gets an eighth more and MIN_ROOM
      const need = this.size + this.lastSize + 1024;
      this.reserve(need, need + (this.lastSize >> 3) + MIN_ROOM);
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
