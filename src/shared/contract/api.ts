// The one contract between the renderer (or any client) and the core: every method and event.
// Method names are 'namespace.verb'; events are named in the past tense.
import { z } from 'zod';
import { event, method } from './define';
import type { EventSpec, MethodSpec } from './define';
import type { HostView } from '../model/host';
import type { HostSnapshot } from '../model/metrics';
import { HOST_METRICS, VM_METRICS } from '../model/history';
import { warnEvents, warnMethods } from './api-warn';
import { deployEvents, deployMethods } from './api-deploy';
import { prometheusMethods } from './api-prometheus';
import type { Retention, SeriesResult } from '../model/history';
import { TASK_STATES, VM_ACTIONS } from '../model/task';
import type { BulkActionResult, Task } from '../model/task';

const hostId = z.string().min(1, 'host id is required');

/** What a user types to add a host. */
export const hostInputSchema = z
  .object({
    name: z.string().trim().max(128).optional(),
    /** Hostname, IP address or a Host alias of ~/.ssh/config. */
    address: z
      .string()
      .trim()
      .min(1, 'address is required')
      .max(253)
      .regex(/^[A-Za-z0-9._:[\]-]+$/, 'address may contain only letters, digits, ".", "-", ":" and "[]"'),
    /** Absent: ~/.ssh/config's Port, else 22. */
    port: z.number().int().min(1).max(65535).optional(),
    /** Absent: ~/.ssh/config's User, else the local user. */
    user: z
      .string()
      .trim()
      .min(1, 'user must not be empty')
      .max(64)
      .regex(/^[A-Za-z0-9._-]+$/, 'user may contain only letters, digits, ".", "_" and "-"')
      .optional(),
    identityFile: z.string().trim().min(1).max(4096).optional(),
    /** ProxyJump: `[user@]host[:port][,…]`. */
    jump: z
      .string()
      .trim()
      .max(1024)
      .regex(/^[A-Za-z0-9._@:[\],-]+$/, 'jump must be [user@]host[:port], comma-separated')
      .optional(),
    uri: z.string().trim().min(1).max(512).default('qemu:///system'),
    intervalSec: z.number().int().min(1).max(3600).default(10),
    timeoutSec: z.number().int().min(1).max(300).default(5),
    enabled: z.boolean().default(true),
    /** Kept in memory for this session only; never stored in clear text. */
    password: z.string().max(1024).optional(),
    passphrase: z.string().max(1024).optional(),
  })
  .strict();
export type HostInput = z.input<typeof hostInputSchema>;

const seriesTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('vm'), hostId, uuid: z.string().uuid('uuid must be a libvirt UUID') }).strict(),
  z.object({ kind: z.literal('host'), hostId }).strict(),
]);
const metricName = z.enum([...new Set([...VM_METRICS, ...HOST_METRICS])] as [string, ...string[]]);
const epochMs = z.number().int().min(0).max(8.64e15);
const timeRange = { from: epochMs, to: epochMs };

export const retentionSchema = z
  .object({
    rawHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 90),
    minuteDays: z.number().int().min(1).max(365),
    hourDays: z.number().int().min(1).max(3650),
  })
  .strict();

export interface HistoryStatus {
  ok: boolean;
  problem: 'newer' | 'full' | 'readonly' | 'corrupt' | 'io' | null;
  message: string | null;
  lastWrite: number | null;
  path: string;
}

export interface VmValue {
  hostId: string;
  uuid: string;
  name: string;
  value: number | null;
  ts: number;
}

export interface AppInfo {
  name: string;
  version: string;
  mode: 'electron' | 'headless';
  dataDir: string;
  /** Where SSH passwords and passphrases live: the OS keychain (encrypted) or this session's memory. */
  secretStorage: 'keychain' | 'session';
}

export interface ConnectionTestStep {
  step: 'tcp' | 'hostkey' | 'auth' | 'virsh';
  ok: boolean;
  detail: string;
}

// ---- tasks and VM lifecycle (issue 7): schemas ----
const taskId = z.number({ error: 'id must be a task id (a number)' }).int().min(1);
const vmUuid = z.string().uuid('vmUuid must be a libvirt UUID');
const vmAction = z.enum(VM_ACTIONS, { error: () => `action must be one of ${VM_ACTIONS.join(', ')}` });
const vmActionOptions = z
  .object({
    timeoutSec: z.number().int().min(1, 'timeoutSec must be at least 1').max(3600).optional(),
    forceAfterTimeout: z.boolean().optional(),
    removeStorage: z.boolean().optional(),
    confirmName: z.string().max(1024).optional(),
  })
  .strict()
  .default({});

/** One lifecycle action on one VM; delete must carry the VM's name (checked again on the server). */
export const vmActionSchema = z
  .object({ hostId, vmUuid, action: vmAction, options: vmActionOptions })
  .strict()
  .superRefine((p, ctx) => {
    if (p.action === 'delete' && !p.options.confirmName) {
      ctx.addIssue({
        code: 'custom',
        path: ['options', 'confirmName'],
        message: "options.confirmName is required to delete: type the VM's name",
      });
    }
  });

export const api = {
  'app.info': method(z.object({}).strict()).returns<AppInfo>(),
  'hosts.list': method(z.object({}).strict()).returns<HostView[]>(),
  'hosts.add': method(hostInputSchema).returns<HostView>(),
  /** New settings for a configured host (the whole form; a secret left out is kept). */
  'hosts.update': method(z.object({ id: hostId, host: hostInputSchema }).strict()).returns<HostView>(),
  'hosts.remove': method(z.object({ id: hostId }).strict()).returns<{ removed: true }>(),
  'hosts.refresh': method(z.object({ id: hostId }).strict()).returns<HostView>(),
  'hosts.trustHostKey': method(
    z
      .object({
        id: hostId,
        /** The fingerprint the user saw and accepted; must equal the pending one. */
        fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'fingerprint must be SHA256:<43 base64 chars>'),
      })
      .strict(),
  ).returns<HostView>(),
  /** Give a host its password or key passphrase (memory; the desktop app also keeps it encrypted by the OS keychain). */
  'hosts.setSecrets': method(
    z
      .object({ id: hostId, password: z.string().max(1024).optional(), passphrase: z.string().max(1024).optional() })
      .strict(),
  ).returns<HostView>(),
  /** The latest figures of every host (one snapshot per host). */
  'metrics.latest': method(z.object({}).strict()).returns<HostSnapshot[]>(),
  'history.status': method(z.object({}).strict()).returns<HistoryStatus>(),
  /** A series over [from, to] (epoch ms), at most maxPoints points; the tier follows from both. */
  'history.series': method(
    z
      .object({
        target: seriesTarget,
        metric: metricName,
        ...timeRange,
        maxPoints: z.number().int().min(1).max(100_000).default(1500),
      })
      .strict()
      .refine((p) => p.to > p.from, { message: 'to must be after from', path: ['to'] }),
  ).returns<SeriesResult>(),
  /**
   * Several series of one target over the same range, in the order asked (a detail page's charts
   * in one round trip: one wait in the core's event loop and one message instead of one each).
   */
  'history.seriesMany': method(
    z
      .object({
        target: seriesTarget,
        metrics: z.array(metricName).min(1).max(16),
        ...timeRange,
        maxPoints: z.number().int().min(1).max(100_000).default(1500),
      })
      .strict()
      .refine((p) => p.to > p.from, { message: 'to must be after from', path: ['to'] }),
  ).returns<SeriesResult[]>(),
  /** The latest value of a VM metric for every VM. */
  'history.last': method(z.object({ metric: metricName }).strict()).returns<VmValue[]>(),
  /** The n VMs with the highest average of a metric over the last windowSec seconds. */
  'history.top': method(
    z
      .object({
        metric: metricName,
        windowSec: z.number().int().min(10).max(600).default(300),
        n: z.number().int().min(1).max(100).default(10),
      })
      .strict(),
  ).returns<VmValue[]>(),
  /** CSV of several series over a range. */
  'history.export': method(
    z
      .object({
        series: z
          .array(z.object({ target: seriesTarget, metric: metricName }).strict())
          .min(1)
          .max(1000),
        ...timeRange,
        maxPoints: z.number().int().min(1).max(1_000_000).optional(),
      })
      .strict(),
  ).returns<{ csv: string; rows: number }>(),
  'settings.retention.get': method(z.object({}).strict()).returns<Retention>(),
  'settings.retention.set': method(retentionSchema).returns<Retention>(),
  /** Remove the simulated demo fleet (its hosts and its in-process simulator), for good. */
  'hosts.removeDemo': method(z.object({}).strict()).returns<{ removed: number }>(),
  /**
   * Try a host without saving it: each step with its outcome. Cancellable. `id`: a configured
   * host being edited, whose held password / passphrase are used when the form leaves them out.
   */
  'hosts.test': method(hostInputSchema.extend({ id: hostId.optional() })).returns<ConnectionTestStep[]>(),
  ...warnMethods,
  ...prometheusMethods,

  // ---- tasks and VM lifecycle (issue 7) ----
  /** Tasks, newest first, with their step logs. */
  'tasks.list': method(
    z
      .object({
        state: z.enum(TASK_STATES, { error: () => `state must be one of ${TASK_STATES.join(', ')}` }).optional(),
        hostId: hostId.optional(),
        limit: z.number().int().min(1).max(1000).default(200),
      })
      .strict(),
  ).returns<Task[]>(),
  'tasks.get': method(z.object({ id: taskId }).strict()).returns<Task>(),
  /** Queued: cancelled at once. Running: stops at the next step boundary and rolls back. */
  'tasks.cancel': method(z.object({ id: taskId }).strict()).returns<Task>(),
  /** Runs a failed, cancelled or interrupted task again as a new task. */
  'tasks.retry': method(z.object({ id: taskId }).strict()).returns<Task>(),
  /** Undoes the completed steps of a failed or interrupted task, newest first. */
  'tasks.rollback': method(z.object({ id: taskId }).strict()).returns<Task>(),
  /** One lifecycle action on one VM, as a task. */
  'vm.action': method(vmActionSchema).returns<Task>(),
  /** The same action on many VMs across hosts: one task per VM, and a summary. */
  'vm.bulkAction': method(
    z
      .object({
        targets: z.array(z.object({ hostId, vmUuid }).strict()).min(1, 'targets must name at least one VM').max(1000),
        action: vmAction.refine((a) => a !== 'delete', 'action delete is not available in bulk: delete VMs one by one'),
        options: vmActionOptions,
      })
      .strict(),
  ).returns<BulkActionResult>(),
  // ---- create-VM wizard and groups (issue 7) ----
  ...deployMethods,
} as const satisfies Record<string, MethodSpec<z.ZodType, unknown>>;

export const events = {
  /** A host's status or VM inventory changed (one event per host poll). */
  'host.updated': event<HostView>(),
  /** One host's cycle: host and VM figures (one event per host per cycle). */
  'metrics.updated': event<HostSnapshot>(),
  /** History started or stopped being written (disk full, read-only, recovered). */
  'history.statusChanged': event<HistoryStatus>(),
  /** Hosts were added or removed. */
  'hosts.changed': event<{ ids: string[] }>(),
  ...warnEvents,
  /** A task was created or changed state, or one of its steps started or ended (issue 7). */
  'task.updated': event<Task>(),
  ...deployEvents,
} as const satisfies Record<string, EventSpec<unknown>>;

export type Api = typeof api;
export type Events = typeof events;
export type MethodName = keyof Api;
export type EventName = keyof Events;
export type ParamsIn<M extends MethodName> = z.input<Api[M]['params']>;
export type ParamsOut<M extends MethodName> = z.output<Api[M]['params']>;
export type Result<M extends MethodName> = NonNullable<Api[M]['__result']>;
export type Payload<E extends EventName> = NonNullable<Events[E]['__payload']>;

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(api, name);
}
