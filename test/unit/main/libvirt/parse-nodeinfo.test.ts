// Golden tests of the `virsh nodeinfo` parser on real captured outputs, plus robustness.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseNodeInfo } from '../../../../src/main/libvirt/parse-nodeinfo';

const fixture = (name: string) => readFileSync(join(__dirname, '../../../fixtures/virsh', name), 'utf8');

describe('parseNodeInfo', () => {
  it('reads the lab libvirtd', () => {
    expect(parseNodeInfo(fixture('qemu_nodeinfo.txt'))).toEqual({
      info: {
        cpuModel: 'x86_64',
        cpus: 2,
        mhz: 2599,
        sockets: 1,
        coresPerSocket: 2,
        threadsPerCore: 1,
        numaCells: 1,
        memoryKiB: 6514892,
      },
      warnings: [],
    });
  });

  it('reads the test drivers', () => {
    expect(parseNodeInfo(fixture('test-default_nodeinfo.txt')).info).toEqual({
      cpuModel: 'i686',
      cpus: 16,
      mhz: 1400,
      sockets: 2,
      coresPerSocket: 2,
      threadsPerCore: 2,
      numaCells: 2,
      memoryKiB: 3145728,
    });
    expect(parseNodeInfo(fixture('test-node50_nodeinfo.txt')).info).toMatchObject({ cpus: 8, memoryKiB: 33554432 });
  });

  it('leaves out what virsh leaves out (no frequency line when the driver does not know it)', () => {
    const text = fixture('qemu_nodeinfo.txt').replace(/^CPU frequency:.*\n/m, '');
    expect(parseNodeInfo(text)).toMatchObject({ info: { mhz: null, cpus: 2 }, warnings: [] });
  });

  it('turns garbage into warnings and nulls, never exceptions', () => {
    const text = [
      'error: failed to connect to the hypervisor',
      'CPU(s):              two',
      'Memory size:         6514892 MiB',
      'Some new label:      42',
      'CPU model:           x86_64',
    ].join('\n');
    const { info, warnings } = parseNodeInfo(text);
    expect(info).toMatchObject({ cpuModel: 'x86_64', cpus: null, memoryKiB: null });
    expect(warnings.map((w) => /line (\d+)/.exec(w)?.[1])).toEqual(['1', '2', '3']);
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 1000 }), (s) => {
        expect(typeof parseNodeInfo(s).info).toBe('object');
      }),
      { numRuns: 500 },
    );
  });
});
