// Input schemas of the create-VM wizard and of groups: a VM template (source, size, network,
// cloud-init), a full VM spec (template + name + placement), a group. Every error names its field.
import { z } from 'zod';
import { PLACEMENT_STRATEGIES } from '../model/deploy';

const hostId = z.string({ error: 'host id is required' }).min(1, 'host id is required');

/**
 * A libvirt domain name as VirtDeck accepts it: libvirt refuses `/` and newlines; VirtDeck also
 * refuses other control characters, surrounding blanks, and names virsh would read as an id or
 * a UUID. Quotes, spaces, `$(…)`, backticks and unicode are fine: no name ever passes a shell.
 */
export const vmNameSchema = z
  .string({ error: 'name is required' })
  .min(1, 'name is required')
  .max(100, 'name must be at most 100 characters')
  .refine((s) => s === s.trim(), 'name must not start or end with a blank')
  .refine((s) => !s.includes('/'), 'name must not contain "/" (libvirt refuses it)')
  // eslint-disable-next-line no-control-regex
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'name must not contain control characters (newline, tab …)')
  .refine((s) => !/^\d+$/.test(s), 'name must not be only digits (virsh would read it as a domain id)')
  .refine(
    (s) => !/^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(s),
    'name must not look like a UUID (virsh would read it as one)',
  );

/** Names of pools, volumes, networks and bridges as the host listed them. */
const hostObjectName = (what: string) =>
  z
    .string({ error: `${what} is required` })
    .min(1, `${what} is required`)
    .max(255, `${what} must be at most 255 characters`)
    .refine((s) => !s.includes('/'), `${what} must not contain "/"`)
    // eslint-disable-next-line no-control-regex
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), `${what} must not contain control characters`);

const volumeRef = z.object({ pool: hostObjectName('pool'), volume: hostObjectName('volume') }).strict();

export const sourceSchema = z.discriminatedUnion(
  'kind',
  [
    /** A qcow2 overlay on a base volume (fast, thin; the default). */
    z.object({ kind: z.literal('overlay'), base: volumeRef }).strict(),
    /** A full copy of a base volume (`vol-clone`: lands in the base volume's pool). */
    z.object({ kind: z.literal('copy'), base: volumeRef }).strict(),
    /** An empty disk, optionally with an installation ISO attached as a CD-ROM. */
    z.object({ kind: z.literal('empty'), iso: volumeRef.optional() }).strict(),
  ],
  { error: () => 'source.kind must be one of overlay, copy, empty' },
);

export const networkSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('none') }).strict(),
    z.object({ kind: z.literal('network'), name: hostObjectName('network') }).strict(),
    z.object({ kind: z.literal('bridge'), name: hostObjectName('bridge') }).strict(),
  ],
  { error: () => 'network.kind must be one of none, network, bridge' },
);

const sshKey = z
  .string()
  .trim()
  .min(1)
  .max(16_384)
  .regex(
    /^(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp\d+|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/=]+( [^\n]*)?$/,
    'each SSH key must be one public key line (ssh-ed25519 AAAA… comment)',
  );

export const cloudInitSchema = z
  .object({
    /** Default: the VM's name made hostname-safe. */
    hostname: z
      .string()
      .trim()
      .max(63)
      .regex(/^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$/, 'hostname may contain only letters, digits and inner "-"')
      .optional(),
    user: z
      .string()
      .trim()
      .max(32)
      .regex(/^[a-z_][a-z0-9_-]*$/, 'user must be a lowercase login name (letters, digits, "_" and "-")')
      .optional(),
    sshKeys: z.array(sshKey).max(32).default([]),
    /** Extra user-data (a `#cloud-config` document or a `#!` script), sent as a second MIME part. */
    userData: z.string().max(65_536, 'userData must be at most 64 KiB').optional(),
  })
  .strict();

const mib = (field: string, min: number, max: number) =>
  z
    .number({ error: `${field} must be a number` })
    .int(`${field} must be whole MiB`)
    .min(min, `${field} must be at least ${min} MiB`)
    .max(max, `${field} must be at most ${max} MiB`);

/** Everything about a VM except its name and where it goes: what a group repeats. */
export const vmTemplateSchema = z
  .object({
    source: sourceSchema,
    /** The pool the VM's disk (and seed ISO) is created in (copy: must be the base's pool). */
    pool: hostObjectName('pool'),
    vcpus: z.number().int('vcpus must be a whole number').min(1, 'vcpus must be at least 1').max(512),
    memoryMiB: mib('memoryMiB', 32, 16 * 1024 * 1024),
    diskMiB: mib('diskMiB', 1, 64 * 1024 * 1024),
    network: networkSchema.default({ kind: 'none' }),
    cloudInit: cloudInitSchema.optional(),
    /** `kvm` (hardware) or `qemu` (TCG emulation, for hosts without /dev/kvm). */
    virtType: z.enum(['kvm', 'qemu']).default('kvm'),
    autostart: z.boolean().default(false),
    /** Start the VM once defined and wait until the collector sees it running. */
    start: z.boolean().default(true),
  })
  .strict()
  .superRefine((t, ctx) => {
    if (t.source.kind === 'copy' && t.source.base.pool !== t.pool) {
      ctx.addIssue({
        code: 'custom',
        path: ['pool'],
        message: `a full copy is made in the base volume's pool ('${t.source.base.pool}'); choose that pool or an overlay`,
      });
    }
  });

const perHostLimits = z
  .object({
    /** vCPUs committed may reach cpus × this (default: the policy's). */
    cpuOvercommit: z.number().min(0.1).max(64).optional(),
    /** Memory to leave free on this host, MiB. */
    reserveMemoryMiB: z
      .number()
      .int()
      .min(0)
      .max(16 * 1024 * 1024)
      .optional(),
  })
  .strict();

/** How automatic placement chooses. */
export const placementPolicySchema = z
  .object({
    strategy: z.enum(PLACEMENT_STRATEGIES).default('bestFit'),
    /** Hosts to consider; absent: every real (non-demo) host. */
    candidates: z.array(hostId).min(1).max(1000).optional(),
    cpuOvercommit: z.number().min(0.1).max(64).default(4),
    reserveMemoryMiB: z
      .number()
      .int()
      .min(0)
      .max(16 * 1024 * 1024)
      .default(0),
    /** Per-host overrides of the two limits above. */
    perHost: z.record(z.string().min(1), perHostLimits).default({}),
  })
  .strict();

export const placementSchema = z.discriminatedUnion(
  'mode',
  [
    z.object({ mode: z.literal('host'), hostId }).strict(),
    z.object({ mode: z.literal('auto'), policy: placementPolicySchema.prefault({}) }).strict(),
  ],
  { error: () => 'placement.mode must be host or auto' },
);

/** A VM to create: what the wizard sends to validate, preview and create. */
export const vmSpecSchema = z
  .object({ name: vmNameSchema, placement: placementSchema, template: vmTemplateSchema })
  .strict();

/** What `deploy.placement` needs to rank hosts. */
export const placementRequestSchema = z
  .object({
    policy: placementPolicySchema.prefault({}),
    vcpus: z.number().int().min(1).max(512),
    memoryMiB: mib('memoryMiB', 1, 16 * 1024 * 1024),
    diskMiB: mib('diskMiB', 0, 64 * 1024 * 1024).default(0),
    /** The target pool; hosts without it (or with too little room) are excluded. */
    pool: hostObjectName('pool').optional(),
    /** A base volume every candidate must have. */
    base: volumeRef.optional(),
    /** A name that must be free on the host. */
    name: vmNameSchema.optional(),
  })
  .strict();

export const groupNameSchema = z
  .string({ error: 'name is required' })
  .trim()
  .min(1, 'name is required')
  .max(48, 'name must be at most 48 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'group name may contain only letters, digits, ".", "_" and "-"');

export const groupSaveSchema = z
  .object({
    /** Absent: a new group. */
    id: z.string().min(1).max(64).optional(),
    /** Instances are named `<name>-<n>`. */
    name: groupNameSchema,
    template: vmTemplateSchema,
    policy: placementPolicySchema.prefault({}),
    /** Stored; only `groups.scale` creates or removes instances. */
    desired: z.number().int().min(0).max(1000).default(0),
  })
  .strict();

export type VmTemplate = z.output<typeof vmTemplateSchema>;
export type VmTemplateInput = z.input<typeof vmTemplateSchema>;
export type VmSpec = z.output<typeof vmSpecSchema>;
export type VmSpecInput = z.input<typeof vmSpecSchema>;
export type PlacementPolicy = z.output<typeof placementPolicySchema>;
export type PlacementRequest = z.output<typeof placementRequestSchema>;
export type VmSource = z.output<typeof sourceSchema>;
export type VmNetwork = z.output<typeof networkSchema>;
export type CloudInit = z.output<typeof cloudInitSchema>;
export type GroupSave = z.output<typeof groupSaveSchema>;
