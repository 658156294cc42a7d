// Notifiers against real receivers on loopback: an HTTP server for the webhook (VirtDeck and
// Alertmanager formats, retry after a 500), an SMTP server (smtp-server) for e-mail, a real
// program for the command notifier, and the rotating log file.
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, describe, expect, it } from 'vitest';
import type { Alert, NotifierConfig } from '../../src/shared/model/warn';
import { Dispatcher } from '../../src/main/warn/dispatcher';
import type { AlertNotification } from '../../src/main/warn/notifiers/message';
import { LOG_MAX_BYTES } from '../../src/main/warn/notifiers/log-notifier';
import { alertmanagerMissing, startAlertmanager } from '../helpers/alertmanager';
import { freePort } from '../helpers/sshd';
import { tempDir } from '../helpers/temp';

const alert: Alert = {
  id: 17,
  ruleId: 'vm-crashed',
  ruleName: 'VM crashed',
  severity: 'critical',
  state: 'firing',
  target: { kind: 'vm', id: 'h1/0000', hostId: 'h1', name: `web "1" $(x) 测试` },
  startedAt: 1_800_000_000_000,
  firedAt: 1_800_000_000_000,
  resolvedAt: null,
  reason: "VM 'web' on 'hv-1' is crashed (panicked)",
  reasonData: { state: 'crashed' },
  ack: null,
  silencedUntil: null,
  maintenance: false,
  flapping: false,
};
const note = (current = 'firing', a: Alert = alert): AlertNotification => ({
  alarm_id: a.id,
  previous: current === 'firing' ? 'pending' : 'firing',
  current,
  reason: a.reason,
  reason_data: a.reasonData,
  alert: a,
  test: false,
});
const base = { enabled: true, severities: ['critical' as const], retries: 2, timeoutMs: 2000 };

function dispatcher(configs: NotifierConfig[], dir = tempDir('notify'), secrets: Record<string, string> = {}) {
  const records: { id: string; ok: boolean; attempts: number; error: string | null }[] = [];
  const logs: string[] = [];
  const d = new Dispatcher({
    notifiers: () => configs,
    ctx: { dataDir: dir, secret: (id) => secrets[id], desktop: () => undefined },
    record: (_n, id, ok, attempts, error) => records.push({ id, ok, attempts, error }),
    onStatus: () => undefined,
    log: (l) => logs.push(l),
    now: () => Date.now(),
    backoffMs: 50,
  });
  return { d, records, logs, dir };
}

async function body(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
}

const servers: { close(cb: () => void): void }[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
});

interface Received {
  path: string;
  body: unknown;
  auth: string | undefined;
}

async function receiver(statuses: number[]): Promise<{ url: string; got: Received[] }> {
  const got: Received[] = [];
  const server: Server = createServer((req, res) => {
    void body(req).then((b) => {
      got.push({ path: req.url ?? '', body: b, auth: req.headers.authorization });
      res.statusCode = statuses.shift() ?? 200;
      res.end('ok');
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  return { url: `http://127.0.0.1:${addr.port}`, got };
}

describe('webhook notifier', () => {
  it('posts alarm_id, previous, current, reason, reason_data and retries after a 500', async () => {
    const r = await receiver([500, 200]);
    const { d, records } = dispatcher([
      { ...base, id: 'hook', name: 'Hook', kind: 'webhook', url: `${r.url}/hook`, format: 'virtdeck' },
    ]);
    d.dispatch(note());
    await d.drain();
    expect(r.got).toHaveLength(2);
    expect(r.got[1]?.path).toBe('/hook');
    expect(r.got[1]?.body).toMatchObject({
      alarm_id: 17,
      previous: 'pending',
      current: 'firing',
      reason: alert.reason,
      reason_data: { state: 'crashed' },
      severity: 'critical',
      target: { name: alert.target.name },
    });
    expect(records).toEqual([{ id: 'hook', ok: true, attempts: 2, error: null }]);
  });

  it('Alertmanager format: /api/v2/alerts with labels, then endsAt on resolution', async () => {
    const r = await receiver([]);
    const { d } = dispatcher([{ ...base, id: 'am', name: 'AM', kind: 'webhook', url: r.url, format: 'alertmanager' }]);
    d.dispatch(note());
    d.dispatch(note('resolved', { ...alert, state: 'resolved', resolvedAt: 1_800_000_060_000 }));
    await d.drain();
    expect(r.got.map((g) => g.path)).toEqual(['/api/v2/alerts', '/api/v2/alerts']);
    expect(r.got[0]?.body).toEqual([
      expect.objectContaining({
        labels: expect.objectContaining({ alertname: 'VM crashed', severity: 'critical', host: 'h1' }),
        startsAt: '2027-01-15T08:00:00.000Z',
      }),
    ]);
    expect((r.got[0]?.body as { endsAt?: string }[])[0]?.endsAt).toBeUndefined();
    expect((r.got[1]?.body as { endsAt?: string }[])[0]?.endsAt).toBe('2027-01-15T08:01:00.000Z');
  });

  it('sends URL credentials as basic auth, gives up after its retries, and never shows the password', async () => {
    const r = await receiver([503, 503, 503]);
    const url = r.url.replace('http://', 'http://user:s3cret@');
    const { d, records, logs } = dispatcher([
      { ...base, id: 'bad', name: 'Bad', kind: 'webhook', url, format: 'virtdeck' },
    ]);
    d.dispatch(note());
    await d.drain();
    expect(records[0]).toMatchObject({ ok: false, attempts: 3 });
    expect(records[0]?.error).toMatch(/answered HTTP 503/);
    expect(r.got[0]?.auth).toBe(`Basic ${Buffer.from('user:s3cret').toString('base64')}`);
    expect(JSON.stringify([records, logs])).not.toContain('s3cret');
  });

  it('an unreachable endpoint is an error, not a hang', async () => {
    const { d, records } = dispatcher([
      {
        ...base,
        retries: 0,
        id: 'off',
        name: 'Off',
        kind: 'webhook',
        url: `http://127.0.0.1:${await freePort()}/x`,
        format: 'virtdeck',
      },
    ]);
    d.dispatch(note());
    await d.drain();
    expect(records[0]?.error).toMatch(/ECONNREFUSED/);
  });
});

const amMissing = alertmanagerMissing();
const describeAm = amMissing && process.env.CI !== 'true' ? describe.skip : describe;

describeAm(`a real Alertmanager${amMissing ? ` (skipped: ${amMissing})` : ''}`, () => {
  it('takes the alert through /api/v2/alerts with its labels, and resolves it', async () => {
    const am = await startAlertmanager();
    servers.push({ close: (cb) => void am.stop().then(cb) });
    const { d, records } = dispatcher([
      { ...base, id: 'am', name: 'AM', kind: 'webhook', url: am.url, format: 'alertmanager' },
    ]);
    const recent = { ...alert, startedAt: Date.now() - 60_000, firedAt: Date.now() - 60_000 };
    d.dispatch(note('firing', recent));
    await d.drain();
    expect(records).toEqual([{ id: 'am', ok: true, attempts: 1, error: null }]);
    type AmAlert = { labels: Record<string, string>; annotations: Record<string, string>; status: { state: string } };
    const active = (await (await fetch(`${am.url}/api/v2/alerts?active=true`)).json()) as AmAlert[];
    expect(active).toHaveLength(1);
    expect(active[0]?.labels).toMatchObject({
      alertname: 'VM crashed',
      severity: 'critical',
      host: 'h1',
      source: 'virtdeck',
    });
    expect(active[0]?.annotations.description).toBe(alert.reason);
    expect(active[0]?.status.state).toBe('active');

    d.dispatch(note('resolved', { ...recent, state: 'resolved', resolvedAt: Date.now() - 1000 }));
    await d.drain();
    const after = (await (await fetch(`${am.url}/api/v2/alerts?active=true`)).json()) as AmAlert[];
    expect(after).toEqual([]); // resolved: endsAt in the past
  });
});

describe('e-mail notifier', () => {
  it('delivers to a real SMTP server with the password given for the session', async () => {
    const mails: { from: string; to: string[]; text: string; user: string | undefined }[] = [];
    const server = new SMTPServer({
      secure: false,
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      authOptional: false,
      onAuth(auth, _session, cb) {
        if (auth.username === 'ops' && auth.password === 'pw-123') cb(null, { user: 'ops' });
        else cb(new Error('bad credentials'));
      },
      onData(stream, session, cb) {
        let text = '';
        stream.on('data', (c: Buffer) => (text += c.toString('utf8')));
        stream.on('end', () => {
          mails.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            text,
            user: session.user as string | undefined,
          });
          cb();
        });
      },
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.server.address() as { port: number }).port;
    const mail: NotifierConfig = {
      ...base,
      retries: 0,
      id: 'mail',
      name: 'Mail',
      kind: 'email',
      host: '127.0.0.1',
      port,
      secure: false,
      user: 'ops',
      from: 'virtdeck@example.test',
      to: ['oncall@example.test'],
    };
    const without = dispatcher([mail]);
    without.d.dispatch(note());
    await without.d.drain();
    expect(without.records[0]?.error).toMatch(/SMTP password for ops is not set/);

    const { d, records } = dispatcher([mail], tempDir('notify'), { mail: 'pw-123' });
    d.dispatch(note());
    await d.drain();
    expect(records).toEqual([{ id: 'mail', ok: true, attempts: 1, error: null }]);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ from: 'virtdeck@example.test', to: ['oncall@example.test'], user: 'ops' });
    expect(mails[0]?.text).toMatch(/Subject: =\?UTF-8\?Q\?=5BVirtDeck_CRITICAL=5D_VM_crashed/);
    expect(mails[0]?.text).toContain('is crashed (panicked)');
  });
});

describe('command and log notifiers', () => {
  it('runs a program with the alert as JSON on stdin; a failing program is reported with its stderr', async () => {
    const dir = tempDir('notify');
    const out = join(dir, 'got.json');
    const script = join(dir, 'hook.sh');
    writeFileSync(script, `#!/bin/sh\ncat > '${out}'\n`, { mode: 0o755 });
    const { d, records } = dispatcher([{ ...base, id: 'cmd', name: 'Cmd', kind: 'command', argv: [script] }], dir);
    d.dispatch(note());
    await d.drain();
    expect(records[0]).toMatchObject({ ok: true });
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({
      alarm_id: 17,
      current: 'firing',
      reason: alert.reason,
    });

    const failing = dispatcher([
      { ...base, retries: 0, id: 'f', name: 'F', kind: 'command', argv: ['sh', '-c', 'echo nope >&2; exit 3'] },
    ]);
    failing.d.dispatch(note());
    await failing.d.drain();
    expect(failing.records[0]?.error).toBe('sh: exit status 3: nope');

    const slow = dispatcher([
      { ...base, retries: 0, timeoutMs: 200, id: 's', name: 'S', kind: 'command', argv: ['sleep', '5'] },
    ]);
    slow.d.dispatch(note());
    await slow.d.drain();
    expect(slow.records[0]?.error).toMatch(/timed out after 200 ms|killed after 200 ms/);
  });

  it('appends JSON lines to alerts.log and rotates it', async () => {
    const { d, dir } = dispatcher([{ ...base, id: 'log', name: 'Log', kind: 'log' }]);
    writeFileSync(join(dir, 'alerts.log'), 'x'.repeat(LOG_MAX_BYTES - 10) + '\n');
    d.dispatch(note());
    await d.drain();
    expect(existsSync(join(dir, 'alerts.log.1'))).toBe(true);
    const line = JSON.parse(readFileSync(join(dir, 'alerts.log'), 'utf8').trim()) as Record<string, unknown>;
    expect(line).toMatchObject({ alarm_id: 17, current: 'firing', rule: 'vm-crashed', target_name: alert.target.name });
  });
});
