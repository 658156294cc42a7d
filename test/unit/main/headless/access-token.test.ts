import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { TOKEN_COOKIE, newToken, requestToken, tokenMatches } from '../../../../src/main/headless/access-token';

describe('access token', () => {
  it('is random, URL-safe and long', () => {
    const a = newToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newToken()).not.toBe(a);
  });
  it('matches only the exact token', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abc', 'abd')).toBe(false);
    expect(tokenMatches('abc', 'abcd')).toBe(false);
    expect(tokenMatches('abc', null)).toBe(false);
    expect(tokenMatches('abc', '')).toBe(false);
  });
  it('reads the token from the query string or the cookie', () => {
    const req = (url: string, cookie?: string) => ({ url, headers: cookie ? { cookie } : {} }) as IncomingMessage;
    expect(requestToken(req('/?token=t1'))).toEqual({ fromQuery: 't1', fromCookie: null });
    expect(requestToken(req('/x', `a=b; ${TOKEN_COOKIE}=t2`))).toEqual({ fromQuery: null, fromCookie: 't2' });
  });
});
