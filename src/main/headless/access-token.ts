// The serve mode's access token: random, compared in constant time, carried by the printed URL
// once and then by an HttpOnly, SameSite=Strict cookie.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'virtdeck_token';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieValue(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return null;
}

/** The token a request carries, from `?token=` or the cookie. */
export function requestToken(req: IncomingMessage): { fromQuery: string | null; fromCookie: string | null } {
  const url = new URL(req.url ?? '/', 'http://x');
  return { fromQuery: url.searchParams.get('token'), fromCookie: cookieValue(req.headers.cookie, TOKEN_COOKIE) };
}

/** The token of an `Authorization: Bearer …` header (what Prometheus sends for /metrics), or null. */
export function bearerToken(req: IncomingMessage): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return m?.[1] ?? null;
}
