import { describe, expect, it } from 'vitest';
import { pushTrend, sparkSegments, TREND_POINTS } from '../../src/renderer/hosts/trend';

describe('host CPU trend', () => {
  it('keeps the last TREND_POINTS values, oldest dropped, as a new array', () => {
    let w: (number | null)[] = [];
    for (let i = 0; i < TREND_POINTS + 5; i++) {
      const before = w;
      w = pushTrend(w, i);
      expect(w).not.toBe(before);
    }
    expect(w).toHaveLength(TREND_POINTS);
    expect(w[0]).toBe(5);
    expect(w.at(-1)).toBe(TREND_POINTS + 4);
    expect(pushTrend([1, 2, 3], 4, 3)).toEqual([2, 3, 4]);
  });

  it('draws 0 at the bottom and 100 at the top, clamped, across the width', () => {
    expect(sparkSegments([0, 50, 100, 150, -5], 100, 20)).toEqual(['0.0,20.0 25.0,10.0 50.0,0.0 75.0,0.0 100.0,20.0']);
    expect(sparkSegments([42], 100, 20)).toEqual(['0.0,11.6']);
    expect(sparkSegments([], 100, 20)).toEqual([]);
  });

  it('breaks the line where values are unknown (host unreachable)', () => {
    expect(sparkSegments([10, null, 20, 30, Number.NaN, null], 50, 10)).toEqual(['0.0,9.0', '20.0,8.0 30.0,7.0']);
  });
});
