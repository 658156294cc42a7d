// The persistent shell's output framing: a run's output and exit status come back whole however
// the bytes are cut into packets (a marker split across packets included), and what follows
// the marker is left for the next run. The channel is a stand-in that replays bytes as cut.
import { EventEmitter } from 'node:events';
import fc from 'fast-check';
import type { ClientChannel } from 'ssh2';
import { describe, expect, it } from 'vitest';
import { ShellRunner } from '../../../../src/main/ssh/shell-runner';
import type { ShellResult } from '../../../../src/main/ssh/shell-runner';
import type { SshSession } from '../../../../src/main/ssh/ssh-session';

class Channel extends EventEmitter {
  stderr = new EventEmitter();
  written: string[] = [];
  write(s: string): boolean {
    this.written.push(s);
    return true;
  }
  close(): void {
    this.emit('close');
  }
}

function runner(): { r: ShellRunner; ch: Channel } {
  const ch = new Channel();
  const session = {
    label: 'test',
    openChannel: () => Promise.resolve(ch as unknown as ClientChannel),
    close: () => {},
  };
  return { r: new ShellRunner(session as unknown as SshSession), ch };
}

/** The marker the runner wrote for its latest run. */
function markerOf(ch: Channel): string {
  const m = /printf '\\n(.VD[0-9a-f]+:)%d\\n'/.exec(ch.written.at(-1) ?? '');
  if (!m?.[1]?.startsWith('\u001e')) throw new Error('no marker written');
  return m[1];
}

/** A result with its bytes decoded, to compare with the text that was sent. */
const decoded = (r: ShellResult) => ({ output: r.bytes.toString('utf8'), code: r.code });

const tick = () => new Promise((r) => setImmediate(r));

describe('ShellRunner framing', () => {
  it('returns output and status whole for any cut into packets', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 300 }),
        fc.integer({ min: 0, max: 255 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 30 }),
        async (text, code, cuts) => {
          const { r, ch } = runner();
          const run = r.run('true', 1000);
          await tick();
          const bytes = Buffer.from(`${text}\n${markerOf(ch)}${code}\n`, 'utf8');
          let at = 0;
          for (let k = 0; at < bytes.length; k++) {
            const n = cuts[k % cuts.length] as number;
            ch.emit('data', bytes.subarray(at, at + n));
            at += n;
          }
          expect(decoded(await run)).toEqual({ output: text, code });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps what follows a marker for the next run', async () => {
    const { r, ch } = runner();
    const first = r.run('a', 1000);
    await tick();
    ch.emit('data', Buffer.from(`one\n${markerOf(ch)}0\nstray`));
    expect(decoded(await first)).toEqual({ output: 'one', code: 0 });
    const second = r.run('b', 1000);
    await tick();
    const m = markerOf(ch);
    ch.emit('data', Buffer.from(` two\n${m.slice(0, 5)}`));
    ch.emit('data', Buffer.from(`${m.slice(5)}3`));
    ch.emit('data', Buffer.from('\n'));
    expect(decoded(await second)).toEqual({ output: 'stray two', code: 3 });
  });

  /** One run answered with `text` and status 0, in a single packet. */
  async function answer(r: ShellRunner, ch: Channel, text: string): Promise<ShellResult> {
    const run = r.run('x', 1000);
    await tick();
    ch.emit('data', Buffer.from(`${text}\n${markerOf(ch)}0\n`));
    return run;
  }

  it('never writes over a result that was not released', async () => {
    const { r, ch } = runner();
    const first = await answer(r, ch, 'first output');
    for (let i = 0; i < 5; i++) await answer(r, ch, `run ${i} `.repeat(1000));
    expect(first.bytes.toString()).toBe('first output');
  });

  it('fills the buffer of a released result with a later run instead of allocating one', async () => {
    const { r, ch } = runner();
    const first = await answer(r, ch, 'a'.repeat(20_000));
    r.release(first);
    const second = await answer(r, ch, 'b'.repeat(20_000));
    expect(second.bytes.buffer).toBe(first.bytes.buffer);
    expect(decoded(second)).toEqual({ output: 'b'.repeat(20_000), code: 0 });
    // the buffer being filled is never handed out again while it is in use
    r.release(second);
    const third = await answer(r, ch, 'c'.repeat(100));
    expect(third.bytes.buffer).toBe(first.bytes.buffer);
    const fourth = await answer(r, ch, 'd'.repeat(100));
    expect(fourth.bytes.buffer).not.toBe(third.bytes.buffer);
    expect(third.bytes.toString()).toBe('c'.repeat(100));
  });
});
