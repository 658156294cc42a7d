// The contract is complete at both ends: a handler object missing a method does not compile
// (checked by `npm run typecheck`: the @ts-expect-error below fails if it would compile), and
// the services answer every method of the contract at run time.
import { describe, expect, it } from 'vitest';
import { api } from '../../src/shared/contract/api';
import type { Handlers } from '../../src/shared/rpc/server';
import { createServices } from '../../src/main/services';
import { tempDir } from '../helpers/transports';

describe('handlers', () => {
  it('cover every method of the contract, and nothing else', () => {
    const { handlers } = createServices({ dataDir: tempDir('handlers'), mode: 'headless', version: 't' });
    expect(Object.keys(handlers).sort()).toEqual(Object.keys(api).sort());
  });

  it('without one method are not Handlers (compile-time check)', () => {
    const { handlers } = createServices({ dataDir: tempDir('handlers'), mode: 'headless', version: 't' });
    const { 'app.info': _removed, ...incomplete } = handlers;
    // @ts-expect-error — 'app.info' is missing, so this is not a complete handler object
    const broken: Handlers = incomplete;
    expect(Object.keys(broken)).not.toContain('app.info');
  });
});
