// What a task is made of: steps that run commands on a host through a StepContext, each with an
// optional undo; plus the helpers that keep the step log honest (redaction, output excerpts).

/** Runs one argv on a host (over its persistent connection) and gives back exit code and output. */
export interface HostExec {
  run(hostId: string, argv: readonly string[], timeoutMs: number): Promise<CommandResult>;
}

export interface CommandResult {
  code: number;
  /** stdout and stderr together, as the remote shell printed them. */
  output: string;
}

export interface RunOptions {
  timeoutMs?: number;
  /** Strings to replace by *** in the logged command and output (passwords, tokens). */
  secrets?: readonly string[];
  /** Return a non-zero exit status instead of failing the step. */
  allowFailure?: boolean;
  /** Do not append this command's output to the step's output (polling). */
  quiet?: boolean;
}

export interface StepContext {
  readonly hostId: string | null;
  /** Aborted when the user cancels: long waits end early, the task stops at this step. */
  readonly signal: AbortSignal;
  /** Values handed from one step to a later one within one run. */
  readonly vars: Map<string, string>;
  /** Runs a command on the task's host; a non-zero exit fails the step with virsh's own error line. */
  run(argv: readonly string[], options?: RunOptions): Promise<CommandResult>;
  /** Adds a line to the step's output (what a wait saw, why a step decided something). */
  note(text: string): void;
  now(): number;
  /** Waits, ending early (with CancelledError) when the task is cancelled. */
  sleep(ms: number): Promise<void>;
}

export interface StepDef {
  /** Unique within a workflow: rollback after a restart finds steps by name. */
  name: string;
  /** Skipped (and not logged) when this says false at the moment the step would start. */
  when?: (ctx: StepContext) => boolean;
  run(ctx: StepContext): Promise<void>;
  /** What puts the host back as it was before this step; absent: nothing to undo. */
  undo?: { name: string; run(ctx: StepContext): Promise<void> };
}

/** The task fields a workflow is planned from; the same task always gives the same steps. */
export interface TaskSpec {
  kind: string;
  hostId: string | null;
  target: string | null;
  params: Record<string, unknown>;
}

/** Turns a task into its steps (throws for a kind it does not know). */
export type WorkflowFactory = (task: TaskSpec) => StepDef[];

export class StepError extends Error {
  constructor(
    message: string,
    readonly exitCode: number | null = null,
  ) {
    super(message);
    this.name = 'StepError';
  }
}

export class CancelledError extends Error {
  constructor() {
    super('cancelled by the user');
    this.name = 'CancelledError';
  }
}

export const UNDO_PREFIX = 'undo: ';

export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length > 0) out = out.split(s).join('***');
  return out;
}

/** The start and the end of a long output (where errors usually are), with the cut marked. */
export function excerpt(text: string, max = 4096): string {
  if (text.length <= max) return text;
  const half = Math.floor((max - 40) / 2);
  return `${text.slice(0, half)}\n… [${text.length - 2 * half} characters cut] …\n${text.slice(-half)}`;
}

/**
 * What to show as a failed command's error: virsh's `error:` lines joined (it prints "Failed to
 * start domain 'x'" and then the reason on a second line), else the first line of output.
 */
export function errorLine(output: string, code: number): string {
  const lines = output
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const errors = lines.filter((l) => /^error:/i.test(l));
  const text =
    errors.length > 0
      ? [errors[0] as string, ...errors.slice(1).map((l) => l.replace(/^error:\s*/i, ''))].join(': ')
      : lines[0];
  return text ? text.slice(0, 500) : `exit status ${code}`;
}
