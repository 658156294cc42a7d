// When the history query asks Prometheus (its settings, the two modes) and what a failure looks
// like, against a real closed port; the token kept as a secret, never in prometheus.json.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SessionSecrets } from '../../../../src/main/config/session-secrets';
import { PrometheusHistory, TOKEN_SECRET_ID } from '../../../../src/main/prometheus/history-source';
import { api } from '../../../../src/shared/contract/api';
import { DEFAULT_RETENTION } from '../../../../src/shared/model/history';
import type { SeriesResult } from '../../../../src/shared/model/history';
import { freePort } from '../../../helpers/sshd';
import { tempDir } from '../../../helpers/temp';

const NOW = 1_700_000_000_000;
const target = { kind: 'vm' as const, hostId: 'h1', uuid: '11111111-2222-4333-8444-555555555555' };

function make() {
  const dir = tempDir('prom-src');
  const secrets = new SessionSecrets();
  const source = new PrometheusHistory({
    path: join(dir, 'prometheus.json'),
    secrets,
    tokenPersistent: false,
    hostName: () => 'hv1',
    retention: () => DEFAULT_RETENTION,
    now: () => NOW,
  });
  return { dir, secrets, source };
}

/** Local raw points every 10 s from `firstMs` to NOW. */
const localFrom = (firstMs: number) => (): SeriesResult => {
  const ts: number[] = [];
  for (let t = firstMs; t <= NOW; t += 10_000) ts.push(t);
  return { tier: 'raw', stepSec: 0, ts, avg: ts.map(() => 1), min: ts.map(() => 1), max: ts.map(() => 1) };
};

const params = (fromMs: number) => ({ target, metric: 'cpu_pct', from: fromMs, to: NOW, maxPoints: 100 });

describe('Prometheus as a history source', () => {
  it('keeps the URL and mode in prometheus.json and the token only as a secret', () => {
    const { dir, secrets, source } = make();
    expect(source.settings()).toEqual({ url: null, mode: 'beyond-retention', hasToken: false, tokenPersistent: false });
    const s = source.setSettings({ url: 'http://127.0.0.1:9090', mode: 'always', token: 's3cret-token' });
    expect(s).toEqual({ url: 'http://127.0.0.1:9090', mode: 'always', hasToken: true, tokenPersistent: false });
    expect(readFileSync(join(dir, 'prometheus.json'), 'utf8')).not.toContain('s3cret');
    expect(secrets.get(TOKEN_SECRET_ID).password).toBe('s3cret-token');
    expect(source.setSettings({ url: 'http://127.0.0.1:9090', mode: 'always' }).hasToken).toBe(true); // kept
    expect(source.setSettings({ url: '', mode: 'always', token: '' })).toMatchObject({ url: null, hasToken: false });
  });

  it('validates the settings with clear messages', () => {
    const schema = api['settings.prometheus.set'].params;
    expect(schema.safeParse({ url: '', mode: 'always' }).success).toBe(true);
    for (const url of ['ftp://x', 'not a url', 'http://user:pw@prom:9090']) {
      const r = schema.safeParse({ url, mode: 'always' });
      expect(r.success, url).toBe(false);
      expect(r.error?.issues[0]?.message).toContain('url must be an http(s) URL');
    }
    expect(schema.safeParse({ url: '', mode: 'sometimes' }).error?.issues[0]?.message).toBe(
      'mode must be one of beyond-retention, always',
    );
  });

  it('without a URL, answers from the local history only', async () => {
    const { source } = make();
    const r = await source.series(params(NOW - 3_600_000), localFrom(NOW - 600_000));
    expect(r).toMatchObject({ source: 'local' });
    expect(r.sourceError).toBeUndefined();
  });

  it('beyond local retention: asks Prometheus only for ranges the local history does not cover', async () => {
    const { source } = make();
    const port = await freePort(); // nothing listens there
    source.setSettings({ url: `http://127.0.0.1:${port}`, mode: 'beyond-retention' });
    const covered = await source.series(params(NOW - 600_000), localFrom(NOW - 600_000));
    expect(covered.source).toBe('local');
    expect(covered.sourceError).toBeUndefined(); // not asked
    const older = await source.series(params(NOW - 6 * 3_600_000), localFrom(NOW - 600_000));
    expect(older.source).toBe('local');
    expect(older.sourceError).toBe(
      `Prometheus at http://127.0.0.1:${port} is unreachable (ECONNREFUSED). Showing local history.`,
    );
    expect(older.ts.length).toBe(61); // the local data is still there
  });

  it('always: asks Prometheus for every range; a failed local read still shows the Prometheus error', async () => {
    const { source } = make();
    const port = await freePort();
    source.setSettings({ url: `http://127.0.0.1:${port}/`, mode: 'always', token: 'tok' });
    const r = await source.series(params(NOW - 600_000), localFrom(NOW - 600_000));
    expect(r.sourceError).toMatch(/^Prometheus at http:\/\/127\.0\.0\.1:\d+ is unreachable/);
    expect(r.sourceError).not.toContain('tok');
    const noLocal = await source.series(params(NOW - 600_000), () => {
      throw new Error('history is not available');
    });
    expect(noLocal).toMatchObject({ source: 'local', ts: [] });
    expect(noLocal.sourceError).toContain('unreachable');
  });
});
