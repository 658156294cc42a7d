import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pct, rate, sumOrNull } from '../../../../src/main/collector/rates';
import { backoffDelay } from '../../../../src/main/ssh/backoff';
import { ConnectLimiter } from '../../../../src/main/ssh/connect-limiter';

describe('rate', () => {
  it('is the counter delta per second', () => {
    expect(rate(100, 600, 5)).toBe(100);
  });
  it('is unknown (null) for a first sample, a reset or a non-positive interval — never negative', () => {
    expect(rate(null, 5, 1)).toBeNull();
    expect(rate(500, 5, 1)).toBeNull();
    expect(rate(5, 10, 0)).toBeNull();
    fc.assert(
      fc.property(fc.double(), fc.double(), fc.double(), (a, b, dt) => {
        const r = rate(a, b, dt);
        return r === null || (r >= 0 && Number.isFinite(r));
      }),
    );
  });
  it('sums what is known and computes percentages safely', () => {
    expect(sumOrNull([{ v: 1 }, { v: null }, { v: 2 }], 'v')).toBe(3);
    expect(sumOrNull([{ v: null }], 'v')).toBeNull();
    expect(pct(1, 4)).toBe(25);
    expect(pct(1, 0)).toBeNull();
  });
});

describe('backoff', () => {
  it('grows exponentially to the cap, with jitter in the upper half', () => {
    const at = (n: number, r: number) => backoffDelay(n, { baseMs: 1000, capMs: 60_000, random: () => r });
    expect([0, 1, 2, 3].map((n) => at(n, 1))).toEqual([1000, 2000, 4000, 8000]);
    expect(at(20, 1)).toBe(60_000);
    expect(at(3, 0)).toBe(4000);
  });
});

describe('ConnectLimiter', () => {
  it('never runs more tasks at once than its limit', async () => {
    const limiter = new ConnectLimiter(3);
    let active = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        limiter.run(async () => {
          peak = Math.max(peak, ++active);
          await new Promise((r) => setTimeout(r, 2));
          active--;
        }),
      ),
    );
    expect(peak).toBe(3);
    expect(limiter.inFlight).toBe(0);
  });
  it('frees its slot when a task fails', async () => {
    const limiter = new ConnectLimiter(1);
    await expect(limiter.run(() => Promise.reject(new Error('x')))).rejects.toThrow('x');
    await expect(limiter.run(async () => 1)).resolves.toBe(1);
  });
});
