// The task engine's own logic on a fake host and a fake clock: step order and log, rollback in
// reverse, cancel at a step boundary, per-host limits with a FIFO queue, crash recovery.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../../src/main/store/database';
import { TaskEngine } from '../../../../src/main/tasks/task-engine';
import { TaskRepo } from '../../../../src/main/tasks/task-repo';
import { lifecycleWorkflows } from '../../../../src/main/tasks/vm-lifecycle';
import type { CommandResult, HostExec, StepDef, WorkflowFactory } from '../../../../src/main/tasks/workflow';
import type { Task } from '../../../../src/shared/model/task';

interface Call {
  hostId: string;
  argv: readonly string[];
  release: (r?: CommandResult) => void;
}

/** A host that records every command; `hold` makes commands wait until released. */
class FakeHost implements HostExec {
  calls: Call[] = [];
  hold = false;
  answer: (argv: readonly string[]) => CommandResult = () => ({ code: 0, output: '' });
  run(hostId: string, argv: readonly string[]): Promise<CommandResult> {
    return new Promise((resolve) => {
      const call: Call = { hostId, argv, release: (r) => resolve(r ?? this.answer(argv)) };
      this.calls.push(call);
      if (!this.hold) call.release();
    });
  }
  commands(): string[] {
    return this.calls.map((c) => c.argv.join(' '));
  }
}

const tick = () => new Promise((r) => setTimeout(r, 0));
async function until(what: string, fn: () => boolean): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (fn()) return;
    await tick();
  }
  throw new Error(`never: ${what}`);
}

function cmdStep(name: string, undo = true): StepDef {
  return {
    name,
    run: async (ctx) => void (await ctx.run(['do', name])),
    ...(undo ? { undo: { name: `un-${name}`, run: async (ctx) => void (await ctx.run(['undo', name])) } } : {}),
  };
}

function setup(workflows: WorkflowFactory, db = new Database(':memory:'), perHostLimit = 2) {
  migrate(db, ':memory:');
  const host = new FakeHost();
  let now = 1_000_000;
  const updates: Task[] = [];
  const engine = new TaskEngine({
    repo: new TaskRepo(db),
    exec: host,
    workflows,
    perHostLimit,
    onUpdate: (t) => updates.push(t),
    now: () => now,
    sleep: async (ms, signal) => {
      if (signal.aborted) throw new Error('cancelled');
      now += ms;
    },
  });
  return { db, host, engine, updates, advance: (ms: number) => (now += ms) };
}

const plain =
  (steps: StepDef[]): WorkflowFactory =>
  () =>
    steps;
const submit = (engine: TaskEngine, hostId = 'h1') =>
  engine.submit({ kind: 'test', hostId, target: 'vm', targetName: 'vm', params: {} });

describe('task engine', () => {
  it('runs steps in order and logs command, exit status and output', async () => {
    const { engine, host, updates } = setup(plain([cmdStep('one'), cmdStep('two')]));
    host.answer = (argv) => ({ code: 0, output: `did ${argv[1]}\n` });
    const t = submit(engine);
    await engine.idle();
    const done = engine.get(t.id);
    expect(done.state).toBe('succeeded');
    expect(host.commands()).toEqual(['do one', 'do two']);
    expect(done.steps.map((s) => [s.seq, s.name, s.state, s.command, s.exitCode, s.output])).toEqual([
      [1, 'one', 'succeeded', 'do one', 0, 'did one'],
      [2, 'two', 'succeeded', 'do two', 0, 'did two'],
    ]);
    expect(updates.map((u) => u.state)).toContain('running');
    expect(updates.at(-1)?.state).toBe('succeeded');
  });

  it('on failure undoes the completed steps in reverse order, logged as undo steps', async () => {
    const { engine, host } = setup(plain([cmdStep('a'), cmdStep('b', false), cmdStep('c'), cmdStep('d')]));
    host.answer = (argv) =>
      argv.join(' ') === 'do d'
        ? { code: 1, output: 'error: failed to get domain\nerror: no such thing\n' }
        : { code: 0, output: '' };
    const t = submit(engine);
    await engine.idle();
    const done = engine.get(t.id);
    expect(done.state).toBe('failed');
    expect(done.error).toMatch(
      /^step 'd' failed: error: failed to get domain: no such thing; the completed steps were rolled back$/,
    );
    expect(host.commands()).toEqual(['do a', 'do b', 'do c', 'do d', 'undo c', 'undo a']);
    const d = done.steps.find((s) => s.name === 'd');
    expect([d?.state, d?.exitCode]).toEqual(['failed', 1]);
    expect(done.steps.filter((s) => s.isUndo).map((s) => s.name)).toEqual(['undo: c', 'undo: a']);
    expect(done.canRollback).toBe(false); // already rolled back
  });

  it('redacts secrets in the logged command and output', async () => {
    const secret: StepDef = {
      name: 'login',
      run: async (ctx) => void (await ctx.run(['login', '--password', 's3cr3t'], { secrets: ['s3cr3t'] })),
    };
    const { engine, host } = setup(plain([secret]));
    host.answer = () => ({ code: 0, output: 'used s3cr3t' });
    const t = submit(engine);
    await engine.idle();
    const step = engine.get(t.id).steps[0];
    expect(step?.command).toBe('login --password ***');
    expect(step?.output).toBe('used ***');
  });

  it('cancel stops at the next step boundary and rolls back; a queued task is cancelled at once', async () => {
    const { engine, host } = setup(plain([cmdStep('a'), cmdStep('b')]), undefined, 1);
    host.hold = true;
    const t = submit(engine);
    const queued = submit(engine);
    await until('step a runs', () => host.calls.length === 1);
    expect(engine.cancel(queued.id).state).toBe('cancelled');
    expect(engine.cancel(t.id).cancelRequested).toBe(true);
    host.hold = false;
    host.calls[0]?.release();
    await engine.idle();
    const done = engine.get(t.id);
    expect(done.state).toBe('cancelled');
    expect(host.commands()).toEqual(['do a', 'undo a']);
    expect(done.steps.map((s) => `${s.name}:${s.state}`)).toEqual(['a:succeeded', 'undo: a:succeeded']);
    expect(() => engine.cancel(t.id)).toThrow(/only queued or running/);
  });

  it('a cancel that arrives during the last step is too late: the task succeeds, nothing is undone', async () => {
    const { engine, host } = setup(plain([cmdStep('only')]));
    host.hold = true;
    const t = submit(engine);
    await until('step runs', () => host.calls.length === 1);
    engine.cancel(t.id);
    host.hold = false;
    host.calls[0]?.release();
    await engine.idle();
    expect(engine.get(t.id).state).toBe('succeeded');
    expect(host.commands()).toEqual(['do only']);
  });

  it('runs at most 2 tasks per host, others queue in FIFO order while other hosts go on', async () => {
    const { engine, host } = setup(plain([cmdStep('x', false)]));
    host.hold = true;
    const a = [submit(engine, 'A'), submit(engine, 'A'), submit(engine, 'A'), submit(engine, 'A')];
    const b = submit(engine, 'B');
    await until('three run', () => host.calls.length === 3);
    expect(host.calls.map((c) => c.hostId)).toEqual(['A', 'A', 'B']);
    expect(a.map((t) => engine.get(t.id).state)).toEqual(['running', 'running', 'queued', 'queued']);
    expect(engine.get(b.id).state).toBe('running');
    host.calls[1]?.release(); // the second A ends: the third (not the fourth) starts
    await until('a3 runs', () => engine.get(a[2]?.id ?? 0).state === 'running');
    expect(engine.get(a[3]?.id ?? 0).state).toBe('queued');
    host.hold = false;
    for (const c of host.calls) c.release();
    await until('all done', () => [...a, b].every((t) => engine.get(t.id).state === 'succeeded'));
  });

  it('marks running tasks interrupted on reopen, with the last step; they can be rolled back or retried', async () => {
    const first = setup(plain([cmdStep('create'), cmdStep('define')]));
    first.host.answer = () => ({ code: 0, output: '' });
    first.host.hold = true;
    const t = submit(first.engine);
    await until('create runs', () => first.host.calls.length === 1);
    first.host.calls[0]?.release();
    await until('define runs', () => first.host.calls.length === 2);
    // "crash": a new engine opens the same database while the old one never finished
    const second = setup(plain([cmdStep('create'), cmdStep('define')]), first.db);
    expect(second.engine.recovered).toEqual([t.id]);
    const broken = second.engine.get(t.id);
    expect(broken.state).toBe('interrupted');
    expect(broken.lastStep).toBe('define');
    expect(broken.error).toMatch(/during step 'define'/);
    expect(broken.steps.map((s) => s.state)).toEqual(['succeeded', 'interrupted']);
    expect(broken.canRollback).toBe(true);

    second.engine.rollback(t.id);
    await second.engine.idle();
    const rolled = second.engine.get(t.id);
    expect(second.host.commands()).toEqual(['undo define', 'undo create']);
    expect(rolled.state).toBe('cancelled');
    expect(rolled.canRollback).toBe(false);
    expect(rolled.steps.filter((s) => s.isUndo).map((s) => s.name)).toEqual(['undo: define', 'undo: create']);
    expect(() => second.engine.rollback(t.id)).toThrow(/cancelled/);

    const again = second.engine.retry(t.id);
    expect(again.params.retryOf).toBe(t.id);
    await second.engine.idle();
    expect(second.engine.get(again.id).state).toBe('succeeded');
  });

  it('shutdown waits on the clock, then forces off when asked, else fails offering force off', async () => {
    const uuid = '6f1e2b7c-0a4d-4c8e-9f00-1234567890ab';
    const wf = lifecycleWorkflows(() => 'qemu:///system');
    for (const force of [true, false]) {
      const { engine, host } = setup(wf);
      host.answer = (argv) => ({ code: 0, output: argv[3] === 'domstate' ? 'running\n' : '' });
      const t = engine.submit({
        kind: 'vm.shutdown',
        hostId: 'h1',
        target: uuid,
        targetName: 'x',
        params: { action: 'shutdown', options: { timeoutSec: 5, forceAfterTimeout: force } },
      });
      await engine.idle();
      const done = engine.get(t.id);
      const polls = host.commands().filter((c) => c.includes('domstate')).length;
      expect(polls).toBeGreaterThanOrEqual(5);
      expect(polls).toBeLessThanOrEqual(8);
      if (force) {
        expect(done.state).toBe('succeeded');
        expect(done.steps.map((s) => s.name)).toEqual([
          'ask the guest to shut down',
          'wait until shut off',
          'force off after the timeout',
        ]);
        expect(done.steps[2]?.command).toBe(`virsh -c qemu:///system destroy --domain ${uuid}`);
      } else {
        expect(done.state).toBe('failed');
        expect(done.error).toMatch(/did not shut down within 5 s.*Force off.*forceAfterTimeout/);
        expect(host.commands().some((c) => c.includes('destroy'))).toBe(false);
      }
    }
  });
});
