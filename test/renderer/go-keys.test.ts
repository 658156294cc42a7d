// `g` + a letter goes to a view; anything else does nothing.
import { describe, expect, it } from 'vitest';
import { GO_KEYS, goTarget } from '../../src/renderer/composables/go-keys';

describe('go keys', () => {
  it('maps g o / g h / g v / g a … to the views', () => {
    expect(goTarget('g', 'o')).toBe('/overview');
    expect(goTarget('g', 'h')).toBe('/hosts');
    expect(goTarget('g', 'v')).toBe('/vms');
    expect(goTarget('g', 'a')).toBe('/alerts');
    expect(Object.keys(GO_KEYS).sort()).toEqual(['a', 'h', 'o', 'r', 's', 't', 'v']);
  });

  it('needs the g first', () => {
    expect(goTarget(null, 'a')).toBeNull();
    expect(goTarget('x', 'a')).toBeNull();
    expect(goTarget('g', 'z')).toBeNull();
  });
});
