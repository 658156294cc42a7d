// Golden tests of the `virsh list --all` parser on real captured outputs, plus robustness.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseVirshList } from '../../../../src/main/libvirt/parse-list';

const fixture = (name: string) => readFileSync(join(__dirname, '../../../fixtures/virsh', name), 'utf8');

describe('parseVirshList', () => {
  it('reads the real libvirtd output (5 running lab guests)', () => {
    const { items, warnings } = parseVirshList(fixture('qemu_list_all.txt'));
    expect(warnings).toEqual([]);
    expect(items).toEqual([1, 2, 3, 4, 5].map((i) => ({ domId: i, name: `lab-vm0${i}`, state: 'running' })));
  });

  it('reads the test driver node with running, paused and shut off domains', () => {
    const { items, warnings } = parseVirshList(fixture('test-node50_list_all.txt'));
    expect(warnings).toEqual([]);
    expect(items).toHaveLength(50);
    const byName = new Map(items.map((d) => [d.name, d]));
    // gen-test-node.sh: i%5==0 shut off, i%5==1 paused, else running
    expect(byName.get('vm005')).toEqual({ domId: null, name: 'vm005', state: 'shut off' });
    expect(byName.get('vm001')?.state).toBe('paused');
    expect(byName.get('vm002')?.state).toBe('running');
    expect(items.filter((d) => d.state === 'shut off').every((d) => d.domId === null)).toBe(true);
  });

  it('keeps names with spaces, quotes and unicode intact', () => {
    const text = [
      ' Id   Name                          State',
      '------------------------------------------------',
      ` 7    a b'c"$(touch /tmp/x);\`id\`   running`,
      ' -    数据库 主机                    shut off',
      ' 9    ends-with-paused              paused',
    ].join('\n');
    expect(parseVirshList(text).items).toEqual([
      { domId: 7, name: `a b'c"$(touch /tmp/x);\`id\``, state: 'running' },
      { domId: null, name: '数据库 主机', state: 'shut off' },
      { domId: 9, name: 'ends-with-paused', state: 'paused' },
    ]);
  });

  it('turns garbage into warnings, never exceptions', () => {
    const { items, warnings } = parseVirshList(' Id Name State\n----\nerror: failed to connect\n 3 x running\n');
    expect(items).toEqual([{ domId: 3, name: 'x', state: 'running' }]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('line 3');
    fc.assert(
      fc.property(fc.string({ maxLength: 2000 }), (s) => {
        const r = parseVirshList(s);
        expect(Array.isArray(r.items)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
