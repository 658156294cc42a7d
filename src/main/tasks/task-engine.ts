// The task engine: a global FIFO queue, at most N running tasks per host, steps run in order and
// logged, completed steps undone in reverse on failure or cancel, and interrupted tasks (VirtDeck
// stopped mid-task) that the user can roll back or retry.
import { RpcError } from '../../shared/contract/errors';
import type { Task } from '../../shared/model/task';
import { INTERRUPTED_STEP } from './task-repo';
import type { NewTask, TaskFilter, TaskRepo } from './task-repo';
import { CancelledError, StepError, UNDO_PREFIX, errorLine, excerpt, redact } from './workflow';
import type { HostExec, RunOptions, StepContext, StepDef, WorkflowFactory } from './workflow';
import { toShellCommand } from '../ssh/shell-quote';

export interface TaskEngineOptions {
  repo: TaskRepo;
  exec: HostExec;
  workflows: WorkflowFactory;
  /** Every change of a task (state, a step started or ended). */
  onUpdate?: (task: Task) => void;
  /** Running tasks per host at once (default 2). */
  perHostLimit?: number;
  /** Running tasks at once across the fleet (default 16). */
  globalLimit?: number;
  /** Per-command timeout (default 60 s). */
  commandTimeoutMs?: number;
  now?: () => number;
  /** Injected so wait loops run on a fake clock in tests. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

type Mode = 'run' | 'rollback';
interface Job {
  id: number;
  mode: Mode;
  hostKey: string;
}

function realSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new CancelledError());
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export class TaskEngine {
  private readonly queue: Job[] = [];
  private readonly running = new Map<number, { job: Job; controller: AbortController; done: Promise<void> }>();
  private readonly perHostLimit: number;
  private readonly globalLimit: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private closed = false;
  /** Ids of the tasks interrupted by the previous run of VirtDeck (found when opening). */
  readonly recovered: number[];

  constructor(private readonly o: TaskEngineOptions) {
    this.perHostLimit = o.perHostLimit ?? 2;
    this.globalLimit = o.globalLimit ?? 16;
    this.now = o.now ?? Date.now;
    this.sleep = o.sleep ?? realSleep;
    this.recovered = o.repo.recover(this.now(), 'VirtDeck stopped');
  }

  submit(t: Omit<NewTask, 'createdAt'>): Task {
    this.open();
    const id = this.o.repo.insert({ ...t, createdAt: this.now() });
    this.queue.push({ id, mode: 'run', hostKey: t.hostId ?? '' });
    this.publish(id);
    this.pump();
    return this.get(id);
  }

  get(id: number): Task {
    const t = this.o.repo.get(id);
    if (!t) throw new RpcError('not_found', `no task with id ${id}`);
    return this.decorate(t);
  }

  list(filter: TaskFilter): Task[] {
    return this.o.repo.list(filter).map((t) => this.decorate(t));
  }

  cancel(id: number): Task {
    const t = this.get(id);
    const queued = this.queue.findIndex((j) => j.id === id);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      this.o.repo.setState(id, 'cancelled', { endedAt: this.now(), error: 'cancelled by the user before it started' });
      this.publish(id);
      return this.get(id);
    }
    const live = this.running.get(id);
    if (!live)
      throw new RpcError('conflict', `task ${id} is ${t.state}: only queued or running tasks can be cancelled`);
    if (live.job.mode === 'rollback') throw new RpcError('conflict', `task ${id} is rolling back; let it finish`);
    live.controller.abort();
    this.publish(id);
    return this.get(id);
  }

  /** A new task with the same request; the old one stays as it was, for the record. */
  retry(id: number): Task {
    const t = this.get(id);
    if (!['failed', 'cancelled', 'interrupted'].includes(t.state)) {
      throw new RpcError(
        'conflict',
        `task ${id} is ${t.state}: only failed, cancelled or interrupted tasks can be retried`,
      );
    }
    return this.submit({
      kind: t.kind,
      hostId: t.hostId,
      target: t.target,
      targetName: t.targetName,
      params: { ...t.params, retryOf: id },
    });
  }

  /** Undoes what a failed or interrupted task left done, newest step first, as logged undo steps. */
  rollback(id: number): Task {
    this.open();
    const t = this.get(id);
    if (t.state !== 'interrupted' && t.state !== 'failed') {
      throw new RpcError('conflict', `task ${id} is ${t.state}: only failed or interrupted tasks can be rolled back`);
    }
    if (this.pendingUndo(t).length === 0) {
      throw new RpcError('conflict', `task ${id} has no completed step left to undo`);
    }
    this.o.repo.setState(id, 'queued', { endedAt: null });
    this.queue.push({ id, mode: 'rollback', hostKey: t.hostId ?? '' });
    this.publish(id);
    this.pump();
    return this.get(id);
  }

  /** Resolves when nothing is queued or running (tests, shutdown). */
  async idle(): Promise<void> {
    for (let i = 0; i < 10_000 && (this.running.size > 0 || this.queue.length > 0); i++) {
      await Promise.all([...this.running.values()].map((r) => r.done));
      if (this.running.size === 0 && this.queue.length > 0) break; // blocked queue: nothing will move
    }
  }

  /** Stops taking work; tasks still running are marked interrupted (a restart shows them so). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const r of this.running.values()) r.controller.abort();
    this.o.repo.recover(this.now(), 'VirtDeck was shut down');
  }

  private open(): void {
    if (this.closed) throw new RpcError('unavailable', 'the task engine is shutting down');
  }

  private publish(id: number): void {
    if (this.closed) return;
    const t = this.o.repo.get(id);
    if (!t || !this.o.onUpdate) return;
    this.o.onUpdate(this.decorate(t));
  }

  /** Adds what only the engine knows: a cancel asked for, whether a rollback has anything to do. */
  private decorate(t: Task): Task {
    const cancelRequested = this.running.get(t.id)?.controller.signal.aborted ?? false;
    const canRollback = (t.state === 'failed' || t.state === 'interrupted') && this.pendingUndo(t).length > 0;
    return cancelRequested || canRollback ? { ...t, cancelRequested, canRollback } : t;
  }

  private runningOn(hostKey: string): number {
    let n = 0;
    for (const r of this.running.values()) if (r.job.hostKey === hostKey) n++;
    return n;
  }

  /** Starts queued jobs in FIFO order, skipping (not reordering) those whose host is at its limit. */
  private pump(): void {
    for (let i = 0; i < this.queue.length && this.running.size < this.globalLimit && !this.closed;) {
      const job = this.queue[i] as Job;
      if (this.runningOn(job.hostKey) >= this.perHostLimit) {
        i++;
        continue;
      }
      this.queue.splice(i, 1);
      const controller = new AbortController();
      const done = (job.mode === 'run' ? this.execute(job, controller) : this.undoAll(job, controller))
        .catch((e: unknown) => this.finish(job.id, 'failed', `internal error: ${message(e)}`))
        .finally(() => {
          this.running.delete(job.id);
          this.pump();
        });
      this.running.set(job.id, { job, controller, done });
    }
  }

  private finish(id: number, state: 'succeeded' | 'failed' | 'cancelled', error: string | null): void {
    if (this.closed) return;
    this.o.repo.setState(id, state, { endedAt: this.now(), error });
    this.publish(id);
  }

  private async execute(job: Job, controller: AbortController): Promise<void> {
    const task = this.get(job.id);
    this.o.repo.setState(job.id, 'running', { startedAt: this.now() });
    this.publish(job.id);
    let steps: StepDef[];
    try {
      steps = this.o.workflows(task);
    } catch (e) {
      return this.finish(job.id, 'failed', `cannot plan the task: ${message(e)}`);
    }
    const vars = new Map<string, string>();
    const done: StepDef[] = [];
    let failure: string | null = null;
    // a cancel that arrives during the last step is too late: the task did everything it had to
    let cancelled = false;
    for (const step of steps) {
      if (this.closed) return;
      if (controller.signal.aborted) {
        cancelled = true;
        break;
      }
      const ctx = this.context(task, controller.signal, vars, null);
      if (step.when && !step.when(ctx)) continue;
      const outcome = await this.runStep(task, step.name, false, ctx, (c) => step.run(c));
      if (this.closed) return;
      if (outcome === 'ok') done.push(step);
      else if (outcome === 'cancelled') {
        cancelled = true;
        break;
      } else {
        failure = `step '${step.name}' failed: ${outcome.error}`;
        break;
      }
    }
    if (failure === null && !cancelled) return this.finish(job.id, 'succeeded', null);
    const undoError = await this.undoSteps(task, done.reverse(), vars);
    const why = cancelled ? 'cancelled by the user' : (failure as string);
    const suffix =
      undoError !== null
        ? `; rollback failed at ${undoError}`
        : done.some((s) => s.undo)
          ? '; the completed steps were rolled back'
          : '';
    this.finish(job.id, cancelled ? 'cancelled' : 'failed', `${why}${suffix}`);
  }

  /** Completed (or interrupted) steps of a stored task that have an undo and were not undone yet. */
  private pendingUndo(t: Task): { def: StepDef; interrupted: boolean }[] {
    let defs: StepDef[];
    try {
      defs = this.o.workflows(t);
    } catch {
      return [];
    }
    const undone = new Set(
      t.steps.filter((s) => s.isUndo && s.state === 'succeeded').map((s) => s.name.slice(UNDO_PREFIX.length)),
    );
    const out: { def: StepDef; interrupted: boolean }[] = [];
    for (const s of [...t.steps].reverse()) {
      if (s.isUndo || undone.has(s.name) || (s.state !== 'succeeded' && s.state !== 'interrupted')) continue;
      const def = defs.find((d) => d.name === s.name);
      if (def?.undo && !out.some((o) => o.def === def)) out.push({ def, interrupted: s.state === 'interrupted' });
    }
    return out;
  }

  private async undoAll(job: Job, controller: AbortController): Promise<void> {
    const task = this.get(job.id);
    this.o.repo.setState(job.id, 'running', {});
    this.publish(job.id);
    const pending = this.pendingUndo(task);
    const ctx = this.context(task, controller.signal, new Map(), null);
    let failed: string | null = null;
    for (const { def, interrupted } of pending) {
      const outcome = await this.runStep(task, `${UNDO_PREFIX}${def.name}`, true, ctx, (c) =>
        (def.undo as NonNullable<StepDef['undo']>).run(c),
      );
      // a step cut short by a crash may never have taken effect: its undo failing is logged, not fatal
      if (outcome !== 'ok' && !interrupted) {
        failed = outcome === 'cancelled' ? 'cancelled' : outcome.error;
        break;
      }
    }
    const before = task.error ? ` (was: ${task.error})` : '';
    if (failed) this.finish(job.id, 'failed', `rollback failed: ${failed}${before}`);
    else this.finish(job.id, 'cancelled', `rolled back at the user's request${before}`);
  }

  /** Runs the undos of completed steps in the order given; null when all went well, else the error. */
  private async undoSteps(task: Task, steps: StepDef[], vars: Map<string, string>): Promise<string | null> {
    const ctx = this.context(task, new AbortController().signal, vars, null); // a rollback is not cancellable
    for (const step of steps) {
      if (!step.undo) continue;
      const undo = step.undo;
      const outcome = await this.runStep(task, `${UNDO_PREFIX}${step.name}`, true, ctx, (c) => undo.run(c));
      if (outcome !== 'ok') return `${step.name}: ${outcome === 'cancelled' ? 'cancelled' : outcome.error}`;
    }
    return null;
  }

  /** One logged step: the row is opened, the body runs with a context bound to it, the row is closed. */
  private async runStep(
    task: Task,
    name: string,
    isUndo: boolean,
    base: StepContext,
    body: (ctx: StepContext) => Promise<void>,
  ): Promise<'ok' | 'cancelled' | { error: string }> {
    const stepId = this.o.repo.startStep(task.id, { name, hostId: task.hostId, isUndo, at: this.now() });
    this.publish(task.id);
    const log = { commands: [] as string[], output: [] as string[], exitCode: null as number | null };
    const ctx = this.context(task, base.signal, base.vars, { stepId, log });
    let error: string | null = null;
    let cancelled = false;
    try {
      await body(ctx);
    } catch (e) {
      cancelled = e instanceof CancelledError;
      error = cancelled ? 'cancelled by the user' : message(e);
      if (e instanceof StepError && e.exitCode !== null) log.exitCode = e.exitCode;
    }
    if (this.closed) return { error: INTERRUPTED_STEP };
    const output = log.output.join('\n');
    this.o.repo.endStep(stepId, {
      at: this.now(),
      exitCode: log.exitCode,
      output: output ? excerpt(output) : null,
      error,
    });
    this.publish(task.id);
    return error === null ? 'ok' : cancelled ? 'cancelled' : { error };
  }

  private context(
    task: Task,
    signal: AbortSignal,
    vars: Map<string, string>,
    bound: { stepId: number; log: { commands: string[]; output: string[]; exitCode: number | null } } | null,
  ): StepContext {
    const hostId = task.hostId;
    return {
      hostId,
      signal,
      vars,
      now: this.now,
      sleep: (ms) => this.sleep(ms, signal),
      note: (text) => bound?.log.output.push(text),
      run: async (argv, opts: RunOptions = {}) => {
        if (hostId === null) throw new StepError('this task has no host to run commands on');
        const secrets = opts.secrets ?? [];
        const shown = redact(toShellCommand(argv), secrets);
        if (bound && !bound.log.commands.includes(shown)) {
          bound.log.commands.push(shown);
          this.o.repo.setStepCommand(bound.stepId, bound.log.commands.join('\n'));
        }
        const r = await this.o.exec.run(hostId, argv, opts.timeoutMs ?? this.o.commandTimeoutMs ?? 60_000);
        const out = redact(r.output, secrets);
        if (bound) {
          bound.log.exitCode = r.code;
          if (!opts.quiet && out.trim()) bound.log.output.push(out.trimEnd());
        }
        if (r.code !== 0 && !opts.allowFailure) throw new StepError(errorLine(out, r.code), r.code);
        return { code: r.code, output: out };
      },
    };
  }
}
