import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { nextCycleAt, phaseOf } from '../../../../src/main/collector/cycle-phase';

const I = 10_000;
const slotOffset = (t: number, phase: number) => (((t - phase) % I) + I) % I;

describe('cycle phase', () => {
  it('gives each host a stable slot inside the interval', () => {
    expect(phaseOf('hv01', I)).toBe(phaseOf('hv01', I));
    expect(phaseOf('hv01', I)).not.toBe(phaseOf('hv02', I));
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: 3_600_000 }), (id, interval) => {
        const p = phaseOf(id, interval);
        return Number.isInteger(p) && p >= 0 && p < interval;
      }),
    );
  });

  it('spreads a fleet of 200 hosts over the interval', () => {
    const buckets = new Array<number>(10).fill(0);
    for (let i = 1; i <= 200; i++) {
      const b = Math.floor(phaseOf(`sim-hv${String(i).padStart(3, '0')}`, I) / 1000);
      buckets[b] = (buckets[b] ?? 0) + 1;
    }
    // 20 per second on average; all at once would put 200 in one
    expect(Math.max(...buckets)).toBeLessThan(40);
    expect(Math.min(...buckets)).toBeGreaterThan(5);
  });

  it('never waits longer than the interval, never less than three quarters of it, and reaches the slot in four cycles', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: I - 1 }), fc.integer({ min: 1e12, max: 2e12 }), (phase, start) => {
        let t = start;
        for (let k = 0; k < 4; k++) {
          const next = nextCycleAt(t, I, phase);
          expect(next - t).toBeLessThanOrEqual(I);
          expect(next - t).toBeGreaterThanOrEqual(0.75 * I);
          t = next;
        }
        expect(slotOffset(t, phase)).toBe(0);
      }),
    );
  });

  it('keeps an aligned host on its slot when its timer fires late (no drift)', () => {
    const phase = phaseOf('hv01', I);
    const slot = 1_700_000_000_000 - slotOffset(1_700_000_000_000, phase);
    let t = slot;
    for (let k = 0; k < 50; k++) {
      const next = nextCycleAt(t + 37, I, phase); // started 37 ms late
      expect(slotOffset(next, phase)).toBe(0);
      expect(next - t).toBe(I);
      t = next;
    }
  });
});
