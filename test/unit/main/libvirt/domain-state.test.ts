// libvirt's numeric states and reasons, against libvirt-domain.h and what virsh printed in the lab.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stateReasonName, vmStateFromCode } from '../../../../src/main/libvirt/domain-state';
import { VM_STATES } from '../../../../src/shared/model/host';

describe('vmStateFromCode', () => {
  it('maps every virDomainState', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map(vmStateFromCode)).toEqual([
      'unknown',
      'running',
      'idle',
      'paused',
      'in shutdown',
      'shut off',
      'crashed',
      'pmsuspended',
    ]);
  });

  it('says unknown for anything else, never throws', () => {
    expect(vmStateFromCode(null)).toBe('unknown');
    expect(vmStateFromCode(8)).toBe('unknown');
    expect(vmStateFromCode(-1)).toBe('unknown');
    expect(vmStateFromCode(1.5)).toBe('unknown');
    fc.assert(fc.property(fc.double(), (n) => VM_STATES.includes(vmStateFromCode(n))));
  });
});

describe('stateReasonName', () => {
  it('names the reasons seen in the lab (qemu_lifecycle_tiny5.txt, domstats)', () => {
    expect(stateReasonName(1, 1)).toBe('booted'); // running (booted)
    expect(stateReasonName(3, 1)).toBe('user'); // paused (user)
    expect(stateReasonName(1, 5)).toBe('unpaused'); // running (unpaused)
    expect(stateReasonName(5, 2)).toBe('destroyed'); // shut off (destroyed)
  });

  it("uses libvirt's enum names, per state", () => {
    expect(stateReasonName(3, 5)).toBe('ioerror');
    expect(stateReasonName(3, 6)).toBe('watchdog');
    expect(stateReasonName(3, 14)).toBe('api_error');
    expect(stateReasonName(1, 4)).toBe('from_snapshot');
    expect(stateReasonName(1, 11)).toBe('postcopy_failed');
    expect(stateReasonName(4, 1)).toBe('user');
    expect(stateReasonName(5, 1)).toBe('shutdown');
    expect(stateReasonName(5, 3)).toBe('crashed');
    expect(stateReasonName(5, 8)).toBe('daemon');
    expect(stateReasonName(6, 1)).toBe('panicked');
    // the same number means different things in different states
    expect(stateReasonName(1, 2)).toBe('migrated');
    expect(stateReasonName(3, 2)).toBe('migration');
    expect(stateReasonName(5, 2)).toBe('destroyed');
  });

  it('says unknown for reason 0, unknown numbers (a newer libvirt) and nulls', () => {
    for (let state = 0; state <= 7; state++) expect(stateReasonName(state, 0)).toBe('unknown');
    expect(stateReasonName(2, 1)).toBe('unknown'); // blocked has no reasons but "unknown"
    expect(stateReasonName(7, 1)).toBe('unknown');
    expect(stateReasonName(3, 15)).toBe('unknown');
    expect(stateReasonName(9, 1)).toBe('unknown');
    expect(stateReasonName(null, 1)).toBe('unknown');
    expect(stateReasonName(1, null)).toBe('unknown');
    fc.assert(
      fc.property(fc.integer(), fc.integer(), (s, r) => typeof stateReasonName(s, r) === 'string'),
      { numRuns: 500 },
    );
  });
});
