// Reconnect delays: exponential with "full jitter" (a random delay up to the exponential cap),
// so hosts that failed together do not all retry in the same instant.

export interface BackoffOptions {
  baseMs: number;
  capMs: number;
  random?: () => number;
}

export function backoffDelay(attempt: number, { baseMs, capMs, random = Math.random }: BackoffOptions): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt));
  // never below half the ceiling: the retry must still slow down as failures repeat
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
