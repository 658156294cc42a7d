// Input schemas of the warn engine's methods: rules and notifiers as a user edits them. Every
// error names its field (`conditions.0.metric: unknown metric 'cpu' for vm targets; …`).
import { z } from 'zod';
import { RULE_METRICS, RULE_OPS, SEVERITIES } from '../model/warn';
import type { RuleTargetKind } from '../model/warn';

const id = z
  .string()
  .trim()
  .min(1, 'id is required')
  .max(64)
  .regex(/^[A-Za-z0-9._-]+$/, 'id may contain only letters, digits, ".", "_" and "-"');
const name = z.string().trim().min(1, 'name is required').max(128);
const severity = z.enum(SEVERITIES);
const seconds = (max: number) =>
  z.number().int('must be whole seconds').min(0, 'must not be negative').max(max, `must be at most ${max} s`);

const scope = z
  .object({
    hostIds: z.array(z.string().min(1)).max(1000).optional(),
    namePattern: z.string().trim().min(1).max(256).optional(),
    targetId: z.string().trim().min(1).max(256).optional(),
  })
  .strict();

const condition = z
  .object({
    metric: z.string().min(1, 'metric is required'),
    op: z.enum(RULE_OPS),
    value: z.number().finite('value must be a finite number'),
    clear: z.number().finite('clear must be a finite number').optional(),
  })
  .strict();

const base = {
  id,
  name,
  description: z.string().max(1024).optional(),
  enabled: z.boolean().default(true),
  severity,
  scope: scope.default({}),
  builtin: z.boolean().optional(),
};

const thresholdRule = z
  .object({
    ...base,
    kind: z.literal('threshold'),
    target: z.enum(['vm', 'host', 'pool']),
    conditions: z.array(condition).min(1, 'at least one condition is required').max(8),
    forSec: seconds(7 * 86400).default(0),
    forCycles: z.number().int().min(1, 'must be at least 1 cycle').max(100_000).optional(),
  })
  .strict()
  .superRefine((rule, ctx) => {
    const known: readonly string[] = RULE_METRICS[rule.target as RuleTargetKind];
    rule.conditions.forEach((c, i) => {
      if (!known.includes(c.metric)) {
        ctx.addIssue({
          code: 'custom',
          path: ['conditions', i, 'metric'],
          message: `unknown metric '${c.metric}' for ${rule.target} targets (known: ${known.join(', ')})`,
        });
      }
      if (c.clear !== undefined) {
        const up = c.op === '>' || c.op === '>=';
        const down = c.op === '<' || c.op === '<=';
        if ((up && c.clear > c.value) || (down && c.clear < c.value) || (!up && !down)) {
          ctx.addIssue({
            code: 'custom',
            path: ['conditions', i, 'clear'],
            message: up
              ? 'clear must be at or below value for > and >='
              : down
                ? 'clear must be at or above value for < and <='
                : 'clear applies only to <, <=, > and >=',
          });
        }
      }
    });
  });

const vmStateRule = z
  .object({
    ...base,
    kind: z.literal('vm-state'),
    states: z.array(z.enum(['running', 'idle', 'paused', 'in shutdown', 'shut off', 'crashed', 'pmsuspended'])).min(1),
    reasons: z.array(z.string().min(1).max(64)).max(16).optional(),
    onlyWhenExpected: z.boolean().default(false),
    forSec: seconds(86400).default(0),
  })
  .strict();

const vmVanishedRule = z.object({ ...base, kind: z.literal('vm-vanished') }).strict();

const hostStatusRule = z
  .object({
    ...base,
    kind: z.literal('host-status'),
    statuses: z.array(z.enum(['unreachable', 'degraded', 'stale', 'hostkey-unknown', 'hostkey-mismatch'])).min(1),
    forSec: seconds(86400).default(0),
  })
  .strict();

const noDataRule = z
  .object({ ...base, kind: z.literal('no-data'), afterSec: seconds(7 * 86400).min(10, 'must be at least 10 s') })
  .strict();

export const ruleSchema = z.discriminatedUnion('kind', [
  thresholdRule,
  vmStateRule,
  vmVanishedRule,
  hostStatusRule,
  noDataRule,
]);
export type RuleInput = z.input<typeof ruleSchema>;

const notifierBase = {
  id,
  name,
  enabled: z.boolean().default(true),
  severities: z.array(severity).min(1, 'choose at least one severity').default(['warning', 'critical']),
  retries: z.number().int().min(0).max(10).default(3),
  timeoutMs: z.number().int().min(100).max(120_000).default(5000),
};

export const notifierSchema = z.discriminatedUnion('kind', [
  z.object({ ...notifierBase, kind: z.literal('log') }).strict(),
  z.object({ ...notifierBase, kind: z.literal('desktop') }).strict(),
  z
    .object({
      ...notifierBase,
      kind: z.literal('webhook'),
      url: z
        .string()
        .trim()
        .url('url must be an http:// or https:// URL')
        .regex(/^https?:\/\//i, 'url must be an http:// or https:// URL'),
      format: z.enum(['virtdeck', 'alertmanager']).default('virtdeck'),
    })
    .strict(),
  z
    .object({
      ...notifierBase,
      kind: z.literal('email'),
      host: z.string().trim().min(1, 'SMTP host is required').max(253),
      port: z.number().int().min(1).max(65535).default(587),
      secure: z.boolean().default(false),
      user: z.string().trim().min(1).max(256).optional(),
      from: z.string().trim().email('from must be an e-mail address'),
      to: z.array(z.string().trim().email('each recipient must be an e-mail address')).min(1, 'add a recipient'),
    })
    .strict(),
  z
    .object({
      ...notifierBase,
      kind: z.literal('command'),
      argv: z.array(z.string().min(1)).min(1, 'the program is required').max(64),
    })
    .strict(),
]);
export type NotifierInput = z.input<typeof notifierSchema>;
