// The write path reads a VM's values with one function (readVmValues) instead of calling each
// metric's pick: both must give the same values, in the catalog's order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VM_METRIC_DEFS, readVmValues } from '../../../../src/main/store/catalog';
import { VM_STATES } from '../../../../src/shared/model/host';
import { vmFigures } from '../../../helpers/snapshots';

describe('catalog', () => {
  it('reads every VM metric as its pick does, in the catalog order (property)', () => {
    const value = fc.option(fc.double({ noNaN: true, min: -1e12, max: 1e12 }), { nil: null });
    fc.assert(
      fc.property(
        fc.record({
          cpuPct: value,
          stealPct: value,
          memPct: value,
          netRxBps: value,
          netTxBps: value,
          diskReadBps: value,
          diskWriteBps: value,
          diskReadIops: value,
          diskWriteIops: value,
        }),
        fc.constantFrom(...VM_STATES),
        (figures, state) => {
          const vm = vmFigures(3, 1000, { ...figures, state });
          const out = new Float64Array(Object.keys(VM_METRIC_DEFS).length);
          readVmValues(vm, out);
          expect([...out]).toEqual(Object.values(VM_METRIC_DEFS).map((d) => d.pick(vm) ?? NaN));
        },
      ),
      { numRuns: 200 },
    );
  });
});
