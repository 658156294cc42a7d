// The tasks and task_steps tables (migration 1) of the history database: writes of the engine and
// the reads of the contract, and the crash recovery that marks unfinished tasks interrupted.
import type { Database as Db } from 'better-sqlite3';
import type { StepState, Task, TaskState, TaskStep } from '../../shared/model/task';

interface TaskRow {
  id: number;
  kind: string;
  host_id: string | null;
  target: string | null;
  state: string;
  params: string | null;
  created_at: number;
  started_at: number | null;
  ended_at: number | null;
  error: string | null;
}

interface StepRow {
  id: number;
  task_id: number;
  seq: number;
  name: string;
  host_id: string | null;
  command: string | null;
  is_undo: number;
  started_at: number | null;
  ended_at: number | null;
  exit_code: number | null;
  output: string | null;
  error: string | null;
}

export interface NewTask {
  kind: string;
  hostId: string | null;
  target: string | null;
  targetName: string | null;
  params: Record<string, unknown>;
  createdAt: number;
}

export interface TaskFilter {
  state?: TaskState | undefined;
  hostId?: string | undefined;
  limit: number;
}

/** Marks a step cut short by a stop of VirtDeck (its end time stays unknown). */
export const INTERRUPTED_STEP = 'interrupted: VirtDeck stopped during this step; its effect is unknown';

function stepState(r: StepRow): StepState {
  if (r.ended_at === null) return r.error === null ? 'running' : 'interrupted';
  return r.error === null ? 'succeeded' : 'failed';
}

function toStep(r: StepRow): TaskStep {
  return {
    id: r.id,
    seq: r.seq,
    name: r.name,
    hostId: r.host_id,
    command: r.command,
    isUndo: r.is_undo === 1,
    state: stepState(r),
    startedAt: r.started_at,
    endedAt: r.ended_at,
    exitCode: r.exit_code,
    output: r.output,
    error: r.error,
  };
}

export class TaskRepo {
  constructor(private readonly db: Db) {}

  insert(t: NewTask): number {
    // params holds the request and the target's name at creation (migration 1 has no column for it)
    const info = this.db
      .prepare(`INSERT INTO tasks (kind, host_id, target, state, params, created_at) VALUES (?, ?, ?, 'queued', ?, ?)`)
      .run(t.kind, t.hostId, t.target, JSON.stringify({ params: t.params, targetName: t.targetName }), t.createdAt);
    return Number(info.lastInsertRowid);
  }

  setState(
    id: number,
    state: TaskState,
    patch: { startedAt?: number; endedAt?: number | null; error?: string | null },
  ) {
    const sets = ['state = @state'];
    if (patch.startedAt !== undefined) sets.push('started_at = @startedAt');
    if (patch.endedAt !== undefined) sets.push('ended_at = @endedAt');
    if (patch.error !== undefined) sets.push('error = @error');
    this.db.prepare(`UPDATE tasks SET ${sets.join(', ')} WHERE id = @id`).run({ id, state, ...patch });
  }

  startStep(taskId: number, s: { name: string; hostId: string | null; isUndo: boolean; at: number }): number {
    const seq =
      (
        this.db.prepare('SELECT COALESCE(MAX(seq), 0) AS m FROM task_steps WHERE task_id = ?').get(taskId) as {
          m: number;
        }
      ).m + 1;
    const info = this.db
      .prepare('INSERT INTO task_steps (task_id, seq, name, host_id, is_undo, started_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(taskId, seq, s.name, s.hostId, s.isUndo ? 1 : 0, s.at);
    return Number(info.lastInsertRowid);
  }

  /** Records the command as it is about to run, so a crash mid-command still shows it. */
  setStepCommand(stepId: number, command: string): void {
    this.db.prepare('UPDATE task_steps SET command = ? WHERE id = ?').run(command, stepId);
  }

  endStep(
    stepId: number,
    e: { at: number; exitCode: number | null; output: string | null; error: string | null },
  ): void {
    this.db
      .prepare('UPDATE task_steps SET ended_at = ?, exit_code = ?, output = ?, error = ? WHERE id = ?')
      .run(e.at, e.exitCode, e.output, e.error, stepId);
  }

  get(id: number): Task | null {
    const row = this.db.prepare('SELECT * FROM tasks WHERE id = ?').get(id) as TaskRow | undefined;
    return row ? this.toTask(row, this.steps([id]).get(id) ?? []) : null;
  }

  list(f: TaskFilter): Task[] {
    const where: string[] = [];
    const args: Record<string, unknown> = { limit: f.limit };
    if (f.state) {
      where.push('state = @state');
      args.state = f.state;
    }
    if (f.hostId) {
      where.push('host_id = @hostId');
      args.hostId = f.hostId;
    }
    const sql = `SELECT * FROM tasks ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT @limit`;
    const rows = this.db.prepare(sql).all(args) as TaskRow[];
    const steps = this.steps(rows.map((r) => r.id));
    return rows.map((r) => this.toTask(r, steps.get(r.id) ?? []));
  }

  /** Ids of the tasks in a state, oldest first. */
  idsIn(state: TaskState): number[] {
    return (this.db.prepare('SELECT id FROM tasks WHERE state = ? ORDER BY id').all(state) as { id: number }[]).map(
      (r) => r.id,
    );
  }

  /**
   * After a crash or stop: running tasks become `interrupted` (the step they were in is marked),
   * queued ones `cancelled` (they never touched a host; nothing runs behind the user's back).
   */
  recover(at: number, why: string): number[] {
    const running = this.idsIn('running');
    this.db.transaction(() => {
      for (const id of running) {
        const last = this.db
          .prepare('SELECT name FROM task_steps WHERE task_id = ? ORDER BY seq DESC LIMIT 1')
          .get(id) as { name: string } | undefined;
        this.db
          .prepare('UPDATE task_steps SET error = ? WHERE task_id = ? AND ended_at IS NULL')
          .run(INTERRUPTED_STEP, id);
        const where = last ? ` during step '${last.name}'` : ' before its first step';
        this.setState(id, 'interrupted', { endedAt: at, error: `${why}${where}; roll it back or retry it` });
      }
      this.db
        .prepare(`UPDATE tasks SET state = 'cancelled', ended_at = ?, error = ? WHERE state = 'queued'`)
        .run(at, `${why} before this task started; nothing was run`);
    })();
    return running;
  }

  private steps(ids: number[]): Map<number, TaskStep[]> {
    const out = new Map<number, TaskStep[]>();
    if (ids.length === 0) return out;
    const rows = this.db
      .prepare(`SELECT * FROM task_steps WHERE task_id IN (SELECT value FROM json_each(?)) ORDER BY task_id, seq`)
      .all(JSON.stringify(ids)) as StepRow[];
    for (const r of rows) {
      let list = out.get(r.task_id);
      if (!list) out.set(r.task_id, (list = []));
      list.push(toStep(r));
    }
    return out;
  }

  private toTask(r: TaskRow, steps: TaskStep[]): Task {
    let stored: { params?: Record<string, unknown>; targetName?: string | null } = {};
    try {
      stored = JSON.parse(r.params ?? '{}') as typeof stored;
    } catch {
      // a damaged params cell must not hide the task
    }
    return {
      id: r.id,
      kind: r.kind,
      hostId: r.host_id,
      target: r.target,
      targetName: stored.targetName ?? null,
      state: r.state as TaskState,
      params: stored.params ?? {},
      createdAt: r.created_at,
      startedAt: r.started_at,
      endedAt: r.ended_at,
      error: r.error,
      lastStep: steps.at(-1)?.name ?? null,
      cancelRequested: false,
      canRollback: false, // the engine knows the steps' undos and fills this in
      steps,
    };
  }
}
