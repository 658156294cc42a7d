// The simulator's keys always parse: ssh2 writes the odd ed25519 key its own parser rejects,
// which once kept the demo fleet from starting (about one start in 125).
import { utils } from 'ssh2';
import { describe, expect, it } from 'vitest';
import { generateKeys } from '../../../../src/main/sim/fleet-sim';

describe('simulator keys', () => {
  it('are readable every time (600 pairs)', () => {
    let bad = 0;
    for (let i = 0; i < 300; i++) {
      const k = generateKeys();
      for (const text of [k.hostKey, k.clientKey, k.clientPublicKey]) if (utils.parseKey(text) instanceof Error) bad++;
    }
    expect(bad).toBe(0);
  });
});
