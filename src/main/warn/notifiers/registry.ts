// The notifier plugins by kind: one file each, one send function each.
import type { NotifierConfig, NotifierKind } from '../../../shared/model/warn';
import { sendCommand } from './command-notifier';
import { sendDesktop } from './desktop-notifier';
import { sendEmail } from './email-notifier';
import { sendLog } from './log-notifier';
import type { SendFn } from './message';
import { sendWebhook } from './webhook-notifier';

const REGISTRY: { [K in NotifierKind]: SendFn<Extract<NotifierConfig, { kind: K }>> } = {
  log: sendLog,
  desktop: sendDesktop,
  webhook: sendWebhook,
  email: sendEmail,
  command: sendCommand,
};

export function senderFor(config: NotifierConfig): SendFn {
  return REGISTRY[config.kind] as SendFn;
}
