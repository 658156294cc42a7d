import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { installShutdown } from '../../../../src/main/app/shutdown';
import { FakeApp } from '../../../helpers/fake-electron-shell';

function setup(stop: () => Promise<void>, timeoutMs?: number) {
  const app = new FakeApp();
  const proc = new EventEmitter();
  const lines: string[] = [];
  const shutdown = installShutdown({
    app,
    stop,
    process: proc,
    log: (l) => lines.push(l),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  });
  return { app, proc, lines, shutdown };
}

/** A stop() that records the core's steps in order, like services.stop(). */
function recordingStop(order: string[]) {
  let calls = 0;
  const stop = async () => {
    calls++;
    order.push('tasks closed', 'collector stopped', 'ssh closed');
    await new Promise((r) => setTimeout(r, 10));
    order.push('store flushed');
  };
  return { stop, calls: () => calls };
}

describe('shutdown', () => {
  it('on quit: holds the quit, stops the core once, then exits', async () => {
    const order: string[] = [];
    const core = recordingStop(order);
    const { app, shutdown } = setup(async () => {
      await core.stop();
      order.push(`exit not yet: ${app.exitCode === null}`);
    });
    app.quit();
    expect(app.exitCode).toBeNull(); // not gone while the store is being flushed
    app.quit(); // a second Cmd+Q / tray Quit while stopping
    await shutdown();
    expect(order).toEqual(['tasks closed', 'collector stopped', 'ssh closed', 'store flushed', 'exit not yet: true']);
    expect(core.calls()).toBe(1);
    expect(app.calls).toEqual(['quit', 'quit', 'exit 0']);
  });

  it('on SIGTERM: the same sequence, once, even with a quit on top', async () => {
    const order: string[] = [];
    const core = recordingStop(order);
    const { app, proc, shutdown } = setup(core.stop);
    proc.emit('SIGTERM');
    app.quit();
    proc.emit('SIGTERM');
    await shutdown();
    expect(core.calls()).toBe(1);
    expect(order.at(-1)).toBe('store flushed');
    expect(app.calls.filter((c) => c.startsWith('exit'))).toEqual(['exit 0']);
  });

  it('a failing or hanging stop still exits (code 1) and says why', async () => {
    const failing = setup(() => Promise.reject(new Error('disk full')));
    failing.app.quit();
    await failing.shutdown();
    expect(failing.app.calls).toEqual(['quit', 'exit 1']);
    expect(failing.lines).toEqual(['shutdown: disk full']);

    const hanging = setup(() => new Promise(() => undefined), 20);
    hanging.proc.emit('SIGTERM');
    await hanging.shutdown();
    expect(hanging.app.exitCode).toBe(1);
    expect(hanging.lines[0]).toMatch(/did not stop within 20 ms/);
  });
});
