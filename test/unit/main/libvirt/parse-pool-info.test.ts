// Golden tests of the storage-pool loop parser on real captured outputs (test driver), plus robustness.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePoolInfo } from '../../../../src/main/libvirt/parse-pool-info';

const fixture = (name: string) => readFileSync(join(__dirname, '../../../fixtures/virsh', name), 'utf8');

// The *_pool_loop_* fixtures are the collector's loop run for real against test:///default, the
// test-driver node test-hostile_node.xml and the lab's qemu:///system (no pools):
//   virsh -c URI pool-list --all --name | while IFS= read -r p; do [ -n "$p" ] && {
//     printf '@@VDPOOL %s\n' "$p"; virsh -c URI pool-info --bytes --pool "$p"; }; done
// (_name: as written, stderr merged; _name_stdout: stdout only; _uuid: `pool-list --all --uuid`).

const defaultPool = {
  name: 'default-pool',
  uuid: 'dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566',
  state: 'running',
  persistent: true,
  autostart: false,
  capacityBytes: 107374182400,
  allocationBytes: 0,
  availableBytes: 107374182400,
};

describe('parsePoolInfo', () => {
  it('reads the loop over test:///default (pools listed by UUID)', () => {
    expect(parsePoolInfo(fixture('test-default_pool_loop_uuid.txt'))).toEqual({ pools: [defaultPool], warnings: [] });
  });

  it('reads two pools, one with a space in its name (test-driver node)', () => {
    const { pools, warnings } = parsePoolInfo(fixture('test-hostile_pool_loop_uuid.txt'));
    expect(warnings).toEqual([]);
    expect(pools.map((p) => [p.name, p.uuid, p.state, p.capacityBytes])).toEqual([
      ['default', '10000000-0000-4000-8000-000000000001', 'running', 107374182400],
      ['iso images', '10000000-0000-4000-8000-000000000002', 'running', 107374182400],
    ]);
  });

  it('reports, pool by pool, a loop over the padded names of `pool-list --name` (virsh 9 pads them)', () => {
    // IFS= read keeps the padding, and pool-info then finds no pool of that name
    const { pools, warnings } = parsePoolInfo(fixture('test-hostile_pool_loop_name.txt'));
    expect(pools.map((p) => [p.name, p.uuid, p.capacityBytes])).toEqual([
      ['default', null, null],
      ['iso images', null, null],
    ]);
    expect(warnings).toHaveLength(4);
    expect(warnings[0]).toBe(`pool-info line 2: pool "default": "error: failed to get pool 'default             '"`);
    // stdout alone (stderr elsewhere): the pool, and nothing known about it
    expect(parsePoolInfo(fixture('test-default_pool_loop_name_stdout.txt'))).toEqual({
      pools: [
        {
          ...defaultPool,
          uuid: null,
          state: null,
          persistent: null,
          autostart: null,
          capacityBytes: null,
          allocationBytes: null,
          availableBytes: null,
        },
      ],
      warnings: [],
    });
  });

  it('reads no pools from a host without any', () => {
    expect(parsePoolInfo(fixture('qemu_pool_loop_name.txt'))).toEqual({ pools: [], warnings: [] });
  });

  it('leaves sizes null for an inactive pool (virsh prints them only for running pools)', () => {
    const inactive = fixture('test-default_pool_loop_uuid.txt')
      .replace('running', 'inactive')
      .replace(/^(Capacity|Allocation|Available):.*\n/gm, '');
    expect(parsePoolInfo(inactive).pools).toEqual([
      { ...defaultPool, state: 'inactive', capacityBytes: null, allocationBytes: null, availableBytes: null },
    ]);
  });

  it('warns about sizes in human units (pool-info without --bytes)', () => {
    const { pools, warnings } = parsePoolInfo(`@@VDPOOL default-pool\n${fixture('test-default_pool_info_human.txt')}`);
    expect(pools[0]).toMatchObject({ name: 'default-pool', persistent: true, capacityBytes: null });
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toContain('Capacity is not a byte count (pool-info without --bytes?)');
  });

  it('turns garbage into warnings with line numbers, never exceptions', () => {
    const text = ['Name: orphan', '@@VDPOOL p1', 'nonsense', 'Autostart: maybe', '@@VDPOOL ', 'UUID: x'].join('\n');
    const { pools, warnings } = parsePoolInfo(text);
    expect(pools.map((p) => [p.name, p.autostart])).toEqual([['p1', null]]);
    expect(warnings.map((w) => /line (\d+)/.exec(w)?.[1])).toEqual(['1', '3', '4', '5', '6']);
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), (s) => {
        expect(Array.isArray(parsePoolInfo(s).pools)).toBe(true);
        expect(Array.isArray(parsePoolInfo(`@@VDPOOL x\n${s}`).pools)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
