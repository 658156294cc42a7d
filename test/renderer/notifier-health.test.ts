import { describe, expect, it } from 'vitest';
import { failingNotifiers } from '../../src/renderer/warn/notifier-health';
import type { NotifierView } from '../../src/shared/contract/api-warn';

const view = (id: string, status: Partial<NotifierView['status']>, enabled = true): NotifierView =>
  ({
    config: { id, name: id, kind: 'webhook', enabled },
    status: { id, lastOkAt: null, lastErrorAt: null, lastError: null, needsSecret: false, ...status },
  }) as unknown as NotifierView;

describe('failing notifiers', () => {
  it('lists enabled notifiers whose last attempt failed or that wait for a password', () => {
    const list = [
      view('never-used', {}),
      view('ok', { lastOkAt: 200, lastErrorAt: 100, lastError: 'old failure' }),
      view('broken', { lastOkAt: 100, lastErrorAt: 200, lastError: 'ECONNREFUSED' }),
      view('never-ok', { lastErrorAt: 50, lastError: 'timeout' }),
      view('smtp', { needsSecret: true }),
      view('off', { lastErrorAt: 200, lastError: 'x' }, false),
    ];
    expect(failingNotifiers(list).map((n) => n.config.id)).toEqual(['broken', 'never-ok', 'smtp']);
  });
});
