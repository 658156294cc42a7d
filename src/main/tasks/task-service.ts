// Tasks as the contract sees them: opens the task tables in the history database (in memory when
// that file cannot be used), runs the engine, and turns vm.action / vm.bulkAction into tasks.
import type { Database as Db } from 'better-sqlite3';
import type { ParamsOut } from '../../shared/contract/api';
import { RpcError } from '../../shared/contract/errors';
import type { BulkActionResult, Task, VmAction } from '../../shared/model/task';
import { openDatabase } from '../store/database';
import { TaskEngine } from './task-engine';
import type { TaskEngineOptions } from './task-engine';
import { TaskRepo } from './task-repo';
import type { UserActionLog } from './user-action-log';
import { lifecycleWorkflows, virshArgv, vmTaskKind } from './vm-lifecycle';
import type { HostExec, WorkflowFactory } from './workflow';

/** What the task service needs of the fleet. */
export interface HostAccess extends HostExec {
  uriOf(hostId: string): string;
  /** Throws (not_found, conflict) unless actions can run on this host. */
  assertCanRun(hostId: string): void;
  vmName(hostId: string, uuid: string): string | null;
  /** Asks for a fresh collector cycle, so the new VM state shows without waiting an interval. */
  refresh?(hostId: string): void;
}

export interface TaskServiceOptions extends Partial<Pick<TaskEngineOptions, 'perHostLimit' | 'now' | 'sleep'>> {
  /** The history database file; tasks live in its `tasks` and `task_steps` tables. */
  dbPath: string;
  hosts: HostAccess;
  userActions: UserActionLog;
  onUpdate: (task: Task) => void;
  /** Workflows of task kinds other than `vm.*` (e.g. `deploy.create`), by kind. */
  workflows?: Record<string, WorkflowFactory>;
}

function invalid(field: string, message: string): RpcError {
  return new RpcError('invalid_params', `vm.action: ${field}: ${message}`, { fields: [{ field, message }] });
}

export class TaskService {
  readonly engine: TaskEngine;
  /** False when the database could not be opened: tasks then live in memory for this run. */
  readonly persistent: boolean;
  private readonly db: Db;

  constructor(private readonly o: TaskServiceOptions) {
    let db: Db;
    let persistent = true;
    try {
      db = openDatabase(o.dbPath);
    } catch {
      db = openDatabase(':memory:'); // the history status already tells the user why
      persistent = false;
    }
    this.db = db;
    this.persistent = persistent;
    const lifecycle = lifecycleWorkflows((id) => o.hosts.uriOf(id));
    this.engine = new TaskEngine({
      repo: new TaskRepo(db),
      exec: o.hosts,
      workflows: (task) => (o.workflows?.[task.kind] ?? lifecycle)(task),
      onUpdate: (task) => this.onUpdate(task),
      ...(o.perHostLimit !== undefined ? { perHostLimit: o.perHostLimit } : {}),
      ...(o.now ? { now: o.now } : {}),
      ...(o.sleep ? { sleep: o.sleep } : {}),
    });
  }

  private onUpdate(task: Task): void {
    // the warn engine must know a VM was stopped or paused on purpose, from the moment it starts
    if (
      task.state === 'running' &&
      task.steps.length === 0 &&
      task.kind.startsWith('vm.') &&
      task.hostId &&
      task.target
    ) {
      this.o.userActions.recordUserAction(
        task.hostId,
        task.target,
        task.kind.slice(3) as VmAction,
        task.startedAt ?? Date.now(),
      );
    }
    const ended = task.state === 'succeeded' || task.state === 'failed' || task.state === 'cancelled';
    if (ended && (task.kind.startsWith('vm.') || task.kind.startsWith('deploy.')) && task.hostId) {
      this.o.hosts.refresh?.(task.hostId);
    }
    this.o.onUpdate(task);
  }

  /** The VM's current name as libvirt says it (delete is confirmed against this, not a cached one). */
  private async liveName(hostId: string, uuid: string): Promise<string> {
    const argv = virshArgv(this.o.hosts.uriOf(hostId), 'domname', uuid);
    const r = await this.o.hosts.run(hostId, argv, 30_000);
    if (r.code !== 0) {
      const line = r.output.split('\n').find((l) => /error/i.test(l)) ?? r.output.trim();
      throw new RpcError('not_found', `no VM with UUID ${uuid} on this host: ${line.trim().slice(0, 300)}`);
    }
    return r.output.replace(/\n+$/, '');
  }

  async vmAction(p: ParamsOut<'vm.action'>): Promise<Task> {
    this.o.hosts.assertCanRun(p.hostId); // unknown or demo host: refused before anything is queued
    let name = this.o.hosts.vmName(p.hostId, p.vmUuid);
    if (p.action === 'delete') {
      name = await this.liveName(p.hostId, p.vmUuid);
      if (p.options.confirmName !== name) {
        throw invalid('options.confirmName', `does not match the VM's name; type '${name}' exactly to delete it`);
      }
    }
    return this.engine.submit({
      kind: vmTaskKind(p.action),
      hostId: p.hostId,
      target: p.vmUuid,
      targetName: name,
      params: { action: p.action, options: p.options },
    });
  }

  async bulkAction(p: ParamsOut<'vm.bulkAction'>): Promise<BulkActionResult> {
    const tasks: Task[] = [];
    const rejected: BulkActionResult['rejected'] = [];
    const seen = new Set<string>();
    for (const t of p.targets) {
      const key = `${t.hostId}|${t.vmUuid}`;
      if (seen.has(key)) continue; // the same VM twice would race with itself
      seen.add(key);
      try {
        tasks.push(await this.vmAction({ hostId: t.hostId, vmUuid: t.vmUuid, action: p.action, options: p.options }));
      } catch (e) {
        rejected.push({ ...t, error: e instanceof Error ? e.message : String(e) });
      }
    }
    return {
      tasks,
      rejected,
      summary: { requested: p.targets.length, queued: tasks.length, rejected: rejected.length },
    };
  }

  list(p: ParamsOut<'tasks.list'>): Task[] {
    return this.engine.list({ state: p.state, hostId: p.hostId, limit: p.limit });
  }

  /** The connection the task tables live on (groups keep their table there too). */
  database(): Db {
    return this.db;
  }

  close(): void {
    this.engine.close();
    this.db.close();
  }
}
