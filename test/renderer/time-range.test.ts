// The detail charts' time range: presets and custom spans, their URL form, drag/picker spans.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RANGE,
  MIN_SPAN_MS,
  customRange,
  formatRange,
  isLive,
  parseRange,
  resolveRange,
  sameRange,
} from '../../src/renderer/charts/time-range';

const NOW = 1_800_000_000_000;

describe('time range', () => {
  it('round-trips presets and custom spans through ?range=', () => {
    expect(parseRange('6h')).toEqual({ kind: 'preset', preset: '6h' });
    expect(formatRange({ kind: 'preset', preset: '30d' })).toBe('30d');
    const custom = { kind: 'custom' as const, from: NOW - 3_600_000, to: NOW };
    expect(formatRange(custom)).toBe(`${NOW - 3_600_000}..${NOW}`);
    expect(parseRange(formatRange(custom))).toEqual(custom);
  });

  it('opens with the default for anything unreadable in the URL', () => {
    for (const bad of [undefined, null, ['1h'], '', '2h', 'toString', '10..5', `${NOW}..${NOW + 1000}`, '1e3..2e9'])
      expect(parseRange(bad), String(bad)).toEqual(DEFAULT_RANGE);
  });

  it('resolves a preset against now and a custom range as is', () => {
    expect(resolveRange({ kind: 'preset', preset: '15m' }, NOW)).toEqual({ from: NOW - 900_000, to: NOW });
    expect(resolveRange({ kind: 'custom', from: 5, to: 100_005 }, NOW)).toEqual({ from: 5, to: 100_005 });
  });

  it('refreshes only short presets', () => {
    expect(isLive({ kind: 'preset', preset: '15m' })).toBe(true);
    expect(isLive({ kind: 'preset', preset: '6h' })).toBe(true);
    expect(isLive({ kind: 'preset', preset: '24h' })).toBe(false);
    expect(isLive({ kind: 'custom', from: NOW - 60_000, to: NOW })).toBe(false);
  });

  it('makes a custom range from a drag in either direction, at least MIN_SPAN_MS wide, not in the future', () => {
    expect(customRange(NOW - 1000, NOW - 600_000.4, NOW)).toEqual({
      kind: 'custom',
      from: NOW - 600_000,
      to: NOW - 1000,
    });
    const narrow = customRange(NOW - 100_000, NOW - 99_000, NOW);
    expect(narrow.kind === 'custom' && narrow.to - narrow.from).toBe(MIN_SPAN_MS);
    expect(narrow).toMatchObject({ from: NOW - 99_500 - MIN_SPAN_MS / 2 });
    expect(customRange(NOW - 60_000, NOW + 60_000, NOW)).toEqual({ kind: 'custom', from: NOW - 120_000, to: NOW });
    expect(sameRange(customRange(1, 40_001, NOW), { kind: 'custom', from: 1, to: 40_001 })).toBe(true);
  });
});
