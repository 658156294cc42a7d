// Tasks as every layer sees them: an action VirtDeck takes on a host, with its step log
// (what ran, where, with what result), and the VM lifecycle actions a task can carry.

export const TASK_STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted'] as const;
export type TaskState = (typeof TASK_STATES)[number];

/** States a task never leaves by itself. */
export const FINAL_TASK_STATES: readonly TaskState[] = ['succeeded', 'failed', 'cancelled', 'interrupted'];

/** A step as logged: `running` while it runs; `interrupted` when VirtDeck stopped during it. */
export type StepState = 'running' | 'succeeded' | 'failed' | 'interrupted';

export interface TaskStep {
  id: number;
  /** Order within the task (undo steps continue the numbering). */
  seq: number;
  name: string;
  hostId: string | null;
  /** The command as run on the host, secrets replaced by `***`; null for steps that run none. */
  command: string | null;
  /** True for a step that undoes an earlier one (rollback). */
  isUndo: boolean;
  state: StepState;
  startedAt: number | null;
  endedAt: number | null;
  exitCode: number | null;
  /** The start and end of the output, cut to a few KiB. */
  output: string | null;
  error: string | null;
}

export interface Task {
  id: number;
  /** What the task does, e.g. `vm.shutdown`. */
  kind: string;
  hostId: string | null;
  /** The VM's UUID for lifecycle tasks. */
  target: string | null;
  /** Human name of the target at the time the task was created (a VM's name). */
  targetName: string | null;
  state: TaskState;
  /** The request as given (action options, retry origin …). */
  params: Record<string, unknown>;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
  error: string | null;
  /** Name of the last step that started (for an interrupted task: where it stopped). */
  lastStep: string | null;
  /** True while a cancel was asked for and the task has not stopped yet. */
  cancelRequested: boolean;
  /** True when the task failed or was interrupted and has completed steps with an undo left. */
  canRollback: boolean;
  steps: TaskStep[];
}

export const VM_ACTIONS = [
  'start',
  'shutdown',
  'reboot',
  'forceOff',
  'suspend',
  'resume',
  'autostartOn',
  'autostartOff',
  'delete',
] as const;
export type VmAction = (typeof VM_ACTIONS)[number];

export interface VmActionOptions {
  /** shutdown: seconds to wait for the guest to power off (default 60). */
  timeoutSec?: number;
  /** shutdown: force the VM off when the timeout passes instead of failing. */
  forceAfterTimeout?: boolean;
  /** delete: also delete the VM's storage volumes (`--remove-all-storage`). */
  removeStorage?: boolean;
  /** delete: the VM's name, typed by the user; must match the VM's current name. */
  confirmName?: string;
}

export interface BulkActionResult {
  /** The tasks created, one per VM. */
  tasks: Task[];
  /** VMs for which no task could be created, with the reason. */
  rejected: { hostId: string; vmUuid: string; error: string }[];
  summary: { requested: number; queued: number; rejected: number };
}
