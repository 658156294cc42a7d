// VM figures from two real domstats captures taken 5 s apart, checked against values read
// straight from the capture text (not through the parser).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countersOf, vmFigures } from '../../../../src/main/collector/vm-figures';
import { parseDomStats } from '../../../../src/main/libvirt/parse-domstats';

const fixture = (name: string) => readFileSync(join(__dirname, '../../../fixtures/virsh', name), 'utf8');

/** key=value of one domain block, straight from the text. */
function raw(text: string, domain: string, key: string): number {
  const block = text.split(/\n(?=Domain: ')/).find((b) => b.startsWith(`Domain: '${domain}'`)) ?? '';
  const m = new RegExp(`^\\s*${key.replace(/\./g, '\\.')}=(\\d+)$`, 'm').exec(block);
  if (!m?.[1]) throw new Error(`${domain} has no ${key}`);
  return Number(m[1]);
}

describe('vmFigures on real captures', () => {
  const t0 = fixture('qemu_domstats_raw_5dom_t0.txt');
  const t5 = fixture('qemu_domstats_raw_5dom_t5.txt');
  const a = parseDomStats(t0).domains;
  const b = parseDomStats(t5).domains;
  const DT = 5; // the captures were taken 5 s apart

  it('computes CPU %, steal % and rates from the deltas', () => {
    for (const cur of b) {
      const prev = a.find((d) => d.name === cur.name);
      expect(prev).toBeDefined();
      if (!prev) continue;
      const f = vmFigures('u', { stats: prev, t: 0 }, { stats: cur, t: DT }, 2);
      const vcpus = raw(t5, cur.name, 'vcpu.current');
      const dCpu = raw(t5, cur.name, 'cpu.time') - raw(t0, cur.name, 'cpu.time');
      expect(f.cpuPct).toBeCloseTo((100 * dCpu) / (DT * vcpus * 1e9), 9);
      expect(f.cpuHostPct).toBeCloseTo((100 * dCpu) / (DT * 2 * 1e9), 9);
      const dDelay = raw(t5, cur.name, 'vcpu.0.delay') - raw(t0, cur.name, 'vcpu.0.delay');
      expect(f.stealPct).toBeCloseTo((100 * dDelay) / (DT * vcpus * 1e9), 9);
      const dRd = raw(t5, cur.name, 'block.0.rd.bytes') - raw(t0, cur.name, 'block.0.rd.bytes');
      expect(f.diskReadBps).toBeCloseTo(dRd / DT, 9);
      expect(f.memSource).toBe('rss');
      expect(f.memPct).toBeCloseTo((100 * raw(t5, cur.name, 'balloon.rss')) / raw(t5, cur.name, 'balloon.current'), 9);
    }
  });

  it('gives no rates on a first sample and none across a counter reset', () => {
    const cur = b[0];
    const prev = a[0];
    if (!cur || !prev) throw new Error('fixtures empty');
    const first = vmFigures(null, null, { stats: cur, t: DT }, 2);
    expect([first.cpuPct, first.stealPct, first.diskReadBps]).toEqual([null, null, null]);
    // swapped order = counters went backwards (a restarted VM): unknown, never negative
    const reset = vmFigures(null, { stats: cur, t: 0 }, { stats: prev, t: DT }, 2);
    expect(reset.cpuPct).toBeNull();
  });

  it('uses the guest’s own memory figure when the balloon driver reports one', () => {
    const cur = b[0];
    if (!cur) throw new Error('fixtures empty');
    const withGuest = { ...cur, balloon: { ...cur.balloon, currentKiB: 1000, unusedKiB: 250 } };
    const f = vmFigures(null, null, { stats: withGuest, t: 0 }, 2);
    expect(f.memSource).toBe('guest');
    expect(f.memUsedKiB).toBe(750);
    expect(f.memPct).toBe(75);
  });

  it('keeps only the counters of a sample for the next cycle, and takes the same rates from them', () => {
    for (const cur of b) {
      const prev = a.find((d) => d.name === cur.name);
      if (!prev) throw new Error(`${cur.name} missing at t0`);
      const kept = countersOf(prev);
      // what outlives a cycle: no names, paths, states or fault counters of the parsed sample
      expect(Object.keys(kept).sort()).toEqual(['balloon', 'blocks', 'cpuTimeNs', 'nets', 'stateCode', 'vcpuDelayNs']);
      expect(Object.keys(kept.balloon).sort()).toEqual(['swapInKiB', 'swapOutKiB']);
      for (const blk of kept.blocks) expect(blk).not.toHaveProperty('path');
      expect(kept.blocks.map((x) => x.name)).toEqual(prev.blocks.map((x) => x.name));
      expect(kept.nets.map((x) => x.name)).toEqual(prev.nets.map((x) => x.name));
      const fromFull = vmFigures('u', { stats: prev, t: 0 }, { stats: cur, t: DT }, 2);
      const fromKept = vmFigures('u', { stats: kept, t: 0 }, { stats: cur, t: DT }, 2);
      expect(fromKept).toEqual(fromFull);
      expect(fromKept.cpuPct).not.toBeNull(); // rates were really taken
    }
  });
});
