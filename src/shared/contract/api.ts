// The one contract between the renderer (or any client) and the core: every method and event.
// Method names are 'namespace.verb'; events are named in the past tense.
import { z } from 'zod';
import { event, method } from './define';
import type { EventSpec, MethodSpec } from './define';
import type { HostView } from '../model/host';
import type { HostSnapshot } from '../model/metrics';

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

export interface AppInfo {
  name: string;
  version: string;
  mode: 'electron' | 'headless';
  dataDir: string;
}

export interface ConnectionTestStep {
  step: 'tcp' | 'hostkey' | 'auth' | 'virsh';
  ok: boolean;
  detail: string;
}

export const api = {
  'app.info': method(z.object({}).strict()).returns<AppInfo>(),
  'hosts.list': method(z.object({}).strict()).returns<HostView[]>(),
  'hosts.add': method(hostInputSchema).returns<HostView>(),
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
  /** Give a host its password or key passphrase for this session (held in memory only). */
  'hosts.setSecrets': method(
    z
      .object({ id: hostId, password: z.string().max(1024).optional(), passphrase: z.string().max(1024).optional() })
      .strict(),
  ).returns<HostView>(),
  /** The latest figures of every host (one snapshot per host). */
  'metrics.latest': method(z.object({}).strict()).returns<HostSnapshot[]>(),
  /** Try a host without saving it: each step with its outcome. Cancellable. */
  'hosts.test': method(hostInputSchema).returns<ConnectionTestStep[]>(),
} as const satisfies Record<string, MethodSpec<z.ZodType, unknown>>;

export const events = {
  /** A host's status or VM inventory changed (one event per host poll). */
  'host.updated': event<HostView>(),
  /** One host's cycle: host and VM figures (one event per host per cycle). */
  'metrics.updated': event<HostSnapshot>(),
  /** Hosts were added or removed. */
  'hosts.changed': event<{ ids: string[] }>(),
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
