// The warn engine's part of the contract: rules, alerts and their lifecycle, silences,
// maintenance windows, VM expectations and notifiers. Spread into `api` and `events`.
import { z } from 'zod';
import { event, method } from './define';
import { notifierSchema, ruleSchema } from './warn-schemas';
import type {
  Alert,
  AlertTarget,
  AlertEvent,
  DesktopNotice,
  MaintenanceWindow,
  NotifierConfig,
  NotifierStatus,
  Rule,
  Silence,
} from '../model/warn';

const empty = z.object({}).strict();
const epochMs = z.number().int().min(0).max(8.64e15);
/** Who did it, for the alert's history; absent: the user running VirtDeck. */
const actor = z.string().trim().min(1).max(128).optional();
const note = z.string().trim().max(2000).default('');

export interface NotifierView {
  config: NotifierConfig;
  status: NotifierStatus;
}

export const warnMethods = {
  'rules.list': method(empty).returns<Rule[]>(),
  /** Creates or replaces the rule with this id. */
  'rules.save': method(ruleSchema).returns<Rule>(),
  'rules.remove': method(z.object({ id: z.string().min(1) }).strict()).returns<{ removed: true }>(),
  /** Which targets this rule (as edited, not saved) would fire on now, ignoring its duration. */
  'rules.preview': method(ruleSchema).returns<{ count: number; targets: AlertTarget[] }>(),
  /** Puts the shipped rules back as shipped (user rules are kept). */
  'rules.resetDefaults': method(empty).returns<Rule[]>(),
  /** Pending and firing alerts (`active`), or the history. */
  'alerts.list': method(
    z
      .object({
        state: z.enum(['active', 'resolved', 'all']).default('active'),
        hostId: z.string().min(1).optional(),
        limit: z.number().int().min(1).max(10_000).default(500),
      })
      .strict(),
  ).returns<Alert[]>(),
  'alerts.events': method(z.object({ id: z.number().int().min(1) }).strict()).returns<AlertEvent[]>(),
  'alerts.ack': method(z.object({ id: z.number().int().min(1), note, by: actor }).strict()).returns<Alert>(),
  'alerts.unack': method(z.object({ id: z.number().int().min(1), by: actor }).strict()).returns<Alert>(),
  'silences.list': method(empty).returns<Silence[]>(),
  'silences.add': method(
    z
      .object({
        ruleId: z.string().min(1).optional(),
        targetId: z.string().min(1).optional(),
        until: epochMs,
        note,
        by: actor,
      })
      .strict()
      .refine((s) => s.ruleId !== undefined || s.targetId !== undefined, {
        message: 'give a ruleId, a targetId or both',
        path: ['ruleId'],
      }),
  ).returns<Silence>(),
  'silences.remove': method(z.object({ id: z.number().int().min(1), by: actor }).strict()).returns<{
    removed: true;
  }>(),
  'maintenance.list': method(empty).returns<MaintenanceWindow[]>(),
  'maintenance.add': method(
    z
      .object({ hostId: z.string().min(1), from: epochMs.optional(), until: epochMs, note, by: actor })
      .strict()
      .refine((m) => m.until > (m.from ?? 0), { message: 'until must be after from', path: ['until'] }),
  ).returns<MaintenanceWindow>(),
  'maintenance.remove': method(z.object({ id: z.number().int().min(1) }).strict()).returns<{ removed: true }>(),
  /** Mark a VM as one that should run: it alerts when paused or shut off. */
  'vms.setShouldRun': method(
    z.object({ hostId: z.string().min(1), uuid: z.string().uuid(), shouldRun: z.boolean() }).strict(),
  ).returns<{ shouldRun: boolean }>(),
  /** The VMs marked "should run", as `hostId/uuid`. */
  'vms.shouldRunList': method(empty).returns<string[]>(),
  'notifiers.list': method(empty).returns<NotifierView[]>(),
  'notifiers.save': method(notifierSchema).returns<NotifierView>(),
  'notifiers.remove': method(z.object({ id: z.string().min(1) }).strict()).returns<{ removed: true }>(),
  /** The SMTP password for this session (memory only). */
  'notifiers.setSecret': method(z.object({ id: z.string().min(1), password: z.string().max(1024) }).strict()).returns<{
    ok: true;
  }>(),
  /** Sends a made-up alert through one notifier now, with its retries and timeout. */
  'notifiers.test': method(z.object({ id: z.string().min(1) }).strict()).returns<{
    ok: boolean;
    error: string | null;
  }>(),
} as const;

export const warnEvents = {
  /** An alert changed: pending, fired, resolved, acknowledged, silenced. */
  'alert.changed': event<Alert>(),
  /** For the desktop notifier: the shell (or the browser in serve mode) shows it. */
  'alert.notified': event<DesktopNotice>(),
  /** A notifier delivered or failed. */
  'notifier.statusChanged': event<NotifierStatus>(),
  /** Rules were saved, removed or reset. */
  'rules.changed': event<{ ids: string[] }>(),
} as const;
