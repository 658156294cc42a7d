// E-mail over SMTP with nodemailer; the password (if any) comes from this session's secrets.
import nodemailer from 'nodemailer';
import type { EmailNotifier } from '../../../shared/model/warn';
import type { SendFn } from './message';
import { subject } from './message';

export const sendEmail: SendFn<EmailNotifier> = async (config, n, ctx, signal) => {
  const pass = ctx.secret(config.id);
  if (config.user && pass === undefined) {
    throw new Error(`the SMTP password for ${config.user} is not set for this session (Settings → Notifiers)`);
  }
  const transport = nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure,
    ...(config.user ? { auth: { user: config.user, pass: pass ?? '' } } : {}),
    connectionTimeout: config.timeoutMs,
    greetingTimeout: config.timeoutMs,
    socketTimeout: config.timeoutMs,
  });
  const abort = () => transport.close();
  signal.addEventListener('abort', abort, { once: true });
  try {
    const a = n.alert;
    await transport.sendMail({
      from: config.from,
      to: config.to,
      subject: subject(n),
      text: [
        n.reason,
        '',
        `rule:     ${a.ruleName} (${a.ruleId})`,
        `severity: ${a.severity}`,
        `target:   ${a.target.name} (${a.target.kind} ${a.target.id})`,
        `state:    ${n.previous} → ${n.current}`,
        `fired:    ${a.firedAt ? new Date(a.firedAt).toISOString() : '—'}`,
        ...(a.resolvedAt ? [`resolved: ${new Date(a.resolvedAt).toISOString()}`] : []),
        '',
        JSON.stringify(n.reason_data),
      ].join('\n'),
    });
  } catch (e) {
    if (signal.aborted) throw new Error(`SMTP ${config.host}:${config.port}: timed out`);
    throw new Error(`SMTP ${config.host}:${config.port}: ${(e as Error).message}`);
  } finally {
    signal.removeEventListener('abort', abort);
    transport.close();
  }
};
