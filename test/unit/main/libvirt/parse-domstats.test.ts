// Golden tests of the `virsh domstats --raw` parser on real captured outputs, its warnings, and
// property tests: arbitrary text and mutated real outputs never throw and keep every intact domain.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_WARNINGS, parseDomStats } from '../../../../src/main/libvirt/parse-domstats';
import type { DomStats } from '../../../../src/main/libvirt/parse-domstats';

// qemu_*: the lab's libvirtd (qemu_domstats_raw_backing.txt is `domstats --raw --nowait --backing`);
// test-node50_*: test/lab/gen-test-node.sh 50; test-hostile_*: `virsh -c test:///ABS/test-hostile_node.xml`
// (libvirt refuses '/' in names: the name with `touch /tmp/x` is tried on a renamed real output).
const fixture = (name: string) => readFileSync(join(__dirname, '../../../fixtures/virsh', name), 'utf8');

function byName(domains: DomStats[]): Map<string, DomStats> {
  return new Map(domains.map((d) => [d.name, d]));
}

/** A real fixture with every domain name replaced, to try names libvirt's test driver refuses. */
function renamed(text: string, name: string): string {
  return text.replace(/^Domain: '.*'$/gm, () => `Domain: '${name}'`);
}

describe('parseDomStats on real libvirtd 9.0 / QEMU 7.2 output', () => {
  it('reads five running lab guests with tap NICs, every field', () => {
    const { domains, warnings } = parseDomStats(fixture('qemu_domstats_raw_5dom_tap.txt'));
    expect(warnings).toEqual([]);
    expect(domains.map((d) => d.name)).toEqual(['lab-vm04', 'lab-vm03', 'lab-vm05', 'lab-vm01', 'lab-vm02']);
    expect(domains[0]).toEqual({
      name: 'lab-vm04',
      state: 'running',
      stateCode: 1,
      reasonCode: 1,
      reason: 'booted',
      cpuTimeNs: 622675000,
      cpuUserNs: 433854000,
      cpuSystemNs: 188820000,
      balloon: {
        currentKiB: 49152,
        maximumKiB: 49152,
        unusedKiB: null,
        availableKiB: null,
        usableKiB: null,
        rssKiB: 46052,
        swapInKiB: null,
        swapOutKiB: null,
        majorFault: null,
        minorFault: null,
        lastUpdate: 0,
      },
      vcpuCurrent: 1,
      vcpuMaximum: 1,
      vcpuTimeNs: 300000000,
      vcpuDelayNs: 51972601,
      nets: [
        {
          name: 'labtap04',
          rxBytes: 0,
          rxPkts: 0,
          rxErrs: 0,
          rxDrop: 0,
          txBytes: 0,
          txPkts: 0,
          txErrs: 0,
          txDrop: 0,
        },
      ],
      blocks: [
        {
          name: 'vda',
          path: '/tmp/lab/vms/lab-vm04.qcow2',
          rdReqs: 1,
          rdBytes: 512,
          wrReqs: 0,
          wrBytes: 0,
          flReqs: 0,
          capacity: 67108864,
          allocation: 0,
          physical: 200704,
        },
      ],
    });
    const vm03 = byName(domains).get('lab-vm03');
    expect(vm03?.cpuTimeNs).toBe(673725000);
    expect(vm03?.vcpuDelayNs).toBe(32252383);
    expect(vm03?.nets[0]?.name).toBe('labtap03');
  });

  it('reads counters that grew between two samples five seconds apart', () => {
    const t0 = byName(parseDomStats(fixture('qemu_domstats_raw_5dom_t0.txt')).domains);
    const t5 = byName(parseDomStats(fixture('qemu_domstats_raw_5dom_t5.txt')).domains);
    expect(t0.get('lab-vm04')?.cpuTimeNs).toBe(2556877000);
    expect(t5.get('lab-vm04')?.cpuTimeNs).toBe(2602158000);
    expect([...t5.keys()].sort()).toEqual([...t0.keys()].sort());
    for (const [name, d] of t5) expect(d.cpuTimeNs).toBeGreaterThan(t0.get(name)?.cpuTimeNs ?? Infinity);
  });

  it('reads rx counters over SSH, and no NIC entry for user-mode networking (net.count=1, no net.0.*)', () => {
    const ssh = byName(parseDomStats(fixture('ssh_qemu_domstats_raw.txt')).domains);
    expect(ssh.get('tiny3')?.nets).toEqual([expect.objectContaining({ name: 'labtap3', rxBytes: 90, rxPkts: 1 })]);
    const user = parseDomStats(fixture('qemu_domstats_raw_1dom_usernet.txt'));
    expect(user.warnings).toEqual([]);
    expect(user.domains[0]?.nets).toEqual([]);
    expect(user.domains[0]?.cpuTimeNs).toBe(1304124000);
  });

  it('keeps only the top-level disk of a --backing listing (captured live: vda and its base.qcow2)', () => {
    const text = fixture('qemu_domstats_raw_backing.txt');
    expect(text).toContain('block.1.path=/tmp/virtdeck-lab/vms/base.qcow2');
    const { domains, warnings } = parseDomStats(text);
    expect(warnings).toEqual([]);
    expect(domains).toHaveLength(3);
    for (const d of domains) {
      expect(d.blocks).toEqual([
        expect.objectContaining({ name: 'vda', path: `/tmp/virtdeck-lab/vms/${d.name}.qcow2` }),
      ]);
    }
    // without --backing, the same domains report backingIndex=1 on their only entry: still a disk
    const plain = parseDomStats(fixture('qemu_domstats_raw_3dom_live.txt')).domains;
    expect(plain.map((d) => d.blocks.length)).toEqual([1, 1, 1]);
  });

  it('keeps disks that repeat a name without backingIndex, and each distinct disk', () => {
    const text = [
      "Domain: 'two-disks'",
      '  block.count=4',
      '  block.0.name=vda',
      '  block.0.backingIndex=1',
      '  block.1.name=vda',
      '  block.1.backingIndex=2',
      '  block.2.name=vdb',
      '  block.2.backingIndex=3',
      '  block.3.name=sr0',
      '  block.4.name=past-the-count',
      '',
    ].join('\n');
    const { domains, warnings } = parseDomStats(text);
    expect(domains[0]?.blocks.map((b) => b.name)).toEqual(['vda', 'vdb', 'sr0']);
    expect(warnings).toEqual([expect.stringMatching(/^domstats line 10: index outside block.count=4/)]);
  });

  it('reads a domain destroyed in the lab: shut off (destroyed), among transcript lines it warns about', () => {
    const { domains, warnings } = parseDomStats(fixture('qemu_lifecycle_tiny5.txt'));
    expect(domains.map((d) => [d.name, d.state, d.reason])).toEqual([
      ['tiny5', 'paused', 'user'],
      ['tiny5', 'shut off', 'destroyed'],
    ]);
    expect(domains[1]).toMatchObject({ stateCode: 5, reasonCode: 2, cpuTimeNs: 340000000, nets: [] });
    expect(domains[1]?.blocks).toEqual([expect.objectContaining({ name: 'vda', allocation: 200704, rdReqs: null })]);
    expect(warnings[0]).toMatch(/^domstats line 1: not a key=value line: "\+\+\+\+ virsh/);
  });

  it('reads nothing from the empty output of a host whose domains are all shut off', () => {
    expect(parseDomStats(fixture('qemu_domstats_shutoff.txt'))).toEqual({ domains: [], warnings: [] });
    expect(parseDomStats('')).toEqual({ domains: [], warnings: [] });
  });
});

describe('parseDomStats on the test driver', () => {
  it('reads 50 domains and their mix of states (gen-test-node.sh: i%5==0 shut off, i%5==1 paused)', () => {
    const { domains, warnings } = parseDomStats(fixture('test-node50_domstats_raw.txt'));
    expect(warnings).toEqual([]);
    expect(domains).toHaveLength(50);
    expect(new Set(domains.map((d) => d.name)).size).toBe(50);
    const count = (state: string) => domains.filter((d) => d.state === state).length;
    expect([count('running'), count('paused'), count('shut off')]).toEqual([30, 10, 10]);
    const all = byName(domains);
    expect(all.get('vm005')).toMatchObject({ state: 'shut off', stateCode: 5, reasonCode: 0, reason: 'unknown' });
    expect(all.get('vm001')?.state).toBe('paused');
    expect(all.get('vm002')).toMatchObject({ state: 'running', cpuTimeNs: null, nets: [], blocks: [] });
  });

  it('reads test:///default and skips the "== --group" banners of a per-group capture', () => {
    expect(parseDomStats(fixture('test-default_domstats___raw.txt')).domains).toEqual([
      expect.objectContaining({ name: 'test', state: 'running', reason: 'unknown' }),
    ]);
    const groups = parseDomStats(fixture('test-default_domstats_groups.txt'));
    expect(groups.domains).toHaveLength(11);
    expect(groups.warnings[0]).toBe('domstats line 1: not a key=value line: "== --state"');
  });

  it('keeps hostile and unicode names byte for byte (captured from a test-driver node)', () => {
    const { domains, warnings } = parseDomStats(fixture('test-hostile_domstats_raw.txt'));
    expect(warnings).toEqual([]);
    expect(domains.map((d) => [d.name, d.state])).toEqual([
      ['crashy', 'crashed'],
      ['sleepy', 'pmsuspended'],
      [`a b'c"$(touch x);\`id\``, 'running'],
      ["it's  two  spaces", 'paused'],
      ['数据库 主机', 'shut off'],
    ]);
  });
});

describe('parseDomStats edge cases', () => {
  it('takes names up to the last quote of the line, whatever they hold', () => {
    const real = fixture('qemu_domstats_raw_1dom_t0.txt');
    for (const name of [
      `a b'c"$(touch /tmp/x);\`id\``,
      '数据库 主机',
      "'",
      'x=1',
      '  lead and trail  ',
      "Domain: 'x'",
    ]) {
      const { domains, warnings } = parseDomStats(renamed(real, name));
      expect(warnings).toEqual([]);
      expect(domains.map((d) => d.name)).toEqual([name]);
      expect(domains[0]?.cpuTimeNs).toBe(336290000);
    }
  });

  it('reads CRLF output like LF output', () => {
    const lf = fixture('qemu_domstats_raw_5dom_tap.txt');
    expect(parseDomStats(lf.replace(/\n/g, '\r\n'))).toEqual(parseDomStats(lf));
  });

  it('sums vcpu.N.time and vcpu.N.delay, reads entries given out of order, keeps = in values', () => {
    const text = [
      "Domain: 'multi'",
      '  vcpu.current=2',
      '  vcpu.0.time=100',
      '  vcpu.0.delay=7',
      '  vcpu.1.time=250',
      '  vcpu.1.delay=3',
      '  net.count=2',
      '  net.1.name=vnet1',
      '  net.1.tx.bytes=5',
      '  net.0.name=vnet0',
      '  net.0.tx.bytes=9',
      '  block.count=1',
      '  block.0.name=vda',
      '  block.0.path=/var/lib/a=b c.qcow2',
      '  block.0.capacity=18446744073709551615',
    ].join('\n'); // no final newline: the last line still counts
    const [d] = parseDomStats(text).domains;
    expect(d).toMatchObject({ vcpuCurrent: 2, vcpuTimeNs: 350, vcpuDelayNs: 10 });
    expect(d?.nets.map((n) => [n.name, n.txBytes])).toEqual([
      ['vnet0', 9],
      ['vnet1', 5],
    ]);
    expect(d?.blocks[0]?.path).toBe('/var/lib/a=b c.qcow2');
    expect(d?.blocks[0]?.capacity).toBe(2 ** 64); // 2^64 - 1 as near as a JS number gets
    expect(parseDomStats("Domain: 'no-vcpu-stats'\n").domains[0]).toMatchObject({
      vcpuTimeNs: null,
      vcpuDelayNs: null,
    });
  });

  it('turns malformed lines into warnings with line numbers and keeps every domain', () => {
    const text = [
      '  cpu.time=5', // 1: before any Domain line
      "Domain: 'a'",
      '  cpu.time=12x', // 3: not a number
      '  cpu.user=-4', // 4: not unsigned
      'error: something went wrong', // 5: no =
      '  net.0.name=vnet0', // 6: before net.count
      '  net.count=1',
      '  net.1.rx.bytes=4', // 8: outside net.count
      '  net.0.rx.bytes=', // 9: empty
      '  =3', // 10: no key
      '  perf.cmt=oops', // unknown key: not checked
      "Domain: 'unterminated", // 12: no closing quote; its stats are skipped
      '  cpu.time=1', // 13: outside a Domain block
      "Domain: 'b'",
      '  cpu.time=77',
      '  net.count=1',
      '  net.0.rx.bytes=3', // an entry without its name is dropped
    ].join('\n');
    const { domains, warnings } = parseDomStats(text);
    expect(domains.map((d) => [d.name, d.cpuTimeNs, d.cpuUserNs, d.nets.length])).toEqual([
      ['a', null, null, 0],
      ['b', 77, null, 0],
    ]);
    expect(warnings.map((w) => /^domstats(?: line (\d+))?/.exec(w)?.[1] ?? 'entry')).toEqual([
      '1',
      '3',
      '4',
      '5',
      '6',
      '8',
      '9',
      '10',
      '12',
      '13',
      'entry',
    ]);
    expect(warnings[0]).toBe('domstats line 1: key=value outside a Domain block: "  cpu.time=5"');
    expect(warnings[5]).toContain('index outside net.count=1');
    expect(warnings[10]).toBe('domstats: domain "b": net.0 has no name; dropped');
  });

  it(`stops listing warnings after ${MAX_WARNINGS}, and says how many more there were`, () => {
    const { warnings } = parseDomStats('garbage\n'.repeat(1000));
    expect(warnings).toHaveLength(MAX_WARNINGS + 1);
    expect(warnings.at(-1)).toBe(`${1000 - MAX_WARNINGS} more warnings not shown`);
  });
});

/** Each domain block of a fixture's lines: its header line, its last non-blank line, what it parses to. */
function blocksOf(lines: string[]) {
  const headers = lines.flatMap((l, i) => (l.startsWith("Domain: '") ? [i] : []));
  return headers.map((header, k) => {
    let last = (headers[k + 1] ?? lines.length) - 1;
    while (last > header && (lines[last] ?? '').trim() === '') last--;
    const alone = parseDomStats(lines.slice(header, last + 1).join('\n')).domains[0] as DomStats;
    return { header, last, next: headers[k + 1] ?? null, alone };
  });
}

const MUTATED = [
  'qemu_domstats_raw_5dom_tap.txt',
  'qemu_domstats_raw_backing.txt',
  'qemu_domstats_raw_5dom.txt',
  'test-node50_domstats_raw.txt',
  'test-hostile_domstats_raw.txt',
];

/** Lines that can never change a domain: no `=`, not a Domain header, or a key libvirt never prints. */
const garbageLine = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }).filter((s) => !/[\n=]/.test(s) && !s.startsWith("Domain: '")),
  fc.string({ maxLength: 40 }).map((s) => `  zz.${s.replace(/[\n=]/g, '')}=${s.replace(/\n/g, '')}`),
);

describe('parseDomStats properties', () => {
  it('never throws on arbitrary text, or on text made of domstats pieces', () => {
    const pieces = fc.constantFrom(
      "Domain: '",
      "'",
      '\n',
      '\r',
      '  ',
      'net.',
      'block.',
      'vcpu.',
      'count',
      'name',
      'rx.bytes',
      'backingIndex',
      'time',
      '0',
      '1',
      '.',
      '=',
      'x',
      '99999999999999999999999',
      '数',
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 2000 }),
          fc.array(pieces).map((p) => p.join('')),
        ),
        (s) => {
          const r = parseDomStats(s);
          expect(Array.isArray(r.domains)).toBe(true);
          expect(r.warnings.length).toBeLessThanOrEqual(MAX_WARNINGS + 1);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('keeps every domain whose lines survive random line deletions', () => {
    fc.assert(
      fc.property(fc.constantFrom(...MUTATED), fc.array(fc.nat(), { maxLength: 12 }), (name, picks) => {
        const lines = fixture(name).split('\n');
        const deleted = new Set(picks.map((p) => p % lines.length));
        const { domains } = parseDomStats(lines.filter((_, i) => !deleted.has(i)).join('\n'));
        for (const b of blocksOf(lines)) {
          let intact = b.next === null || !deleted.has(b.next); // a lost header merges the next domain into this one
          for (let i = b.header; i <= b.last; i++) intact &&= !deleted.has(i);
          if (intact) expect(domains).toContainEqual(b.alone);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps every domain, unchanged, when garbage lines are inserted anywhere', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...MUTATED),
        fc.array(fc.tuple(fc.nat(), garbageLine), { minLength: 1, maxLength: 10 }),
        (name, inserts) => {
          const lines = fixture(name).split('\n');
          const blocks = blocksOf(lines);
          const mutated = [...lines];
          for (const [at, line] of inserts) mutated.splice(at % (mutated.length + 1), 0, line);
          const { domains } = parseDomStats(mutated.join('\n'));
          expect(domains).toEqual(blocks.map((b) => b.alone));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps every domain that ends before a truncation at a random offset', () => {
    fc.assert(
      fc.property(fc.constantFrom(...MUTATED), fc.nat(), (name, n) => {
        const text = fixture(name);
        const cut = n % (text.length + 1);
        const lines = text.split('\n');
        const starts: number[] = [];
        lines.reduce((at, line) => (starts.push(at), at + line.length + 1), 0);
        const { domains } = parseDomStats(text.slice(0, cut));
        for (const b of blocksOf(lines)) {
          const lastEnds = (starts[b.last] ?? 0) + (lines[b.last] ?? '').length;
          if (lastEnds <= cut) expect(domains).toContainEqual(b.alone);
        }
        expect(domains.length).toBeLessThanOrEqual(blocksOf(lines).length);
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseDomStats on bytes', () => {
  const captured = readdirSync(join(__dirname, '../../../fixtures/virsh')).filter((f) => f.includes('domstats'));

  it('reads every captured output as received (UTF-8 bytes) exactly as its text', () => {
    expect(captured.length).toBeGreaterThan(10);
    for (const name of captured) {
      const text = fixture(name);
      expect(parseDomStats(Buffer.from(text, 'utf8')), name).toEqual(parseDomStats(text));
    }
  });

  it('reads a view into a larger buffer (a section of the cycle output) only within its bounds', () => {
    const text = fixture('test-hostile_domstats_raw.txt');
    const inner = Buffer.from(text, 'utf8');
    // a byte view with a digit and a header right outside it: neither may be read
    const outer = Buffer.concat([Buffer.from("Domain: 'before'\n"), inner, Buffer.from("7\nDomain: 'after'\n")]);
    const view = new Uint8Array(outer.buffer, outer.byteOffset + 17, inner.length);
    expect(parseDomStats(view)).toEqual(parseDomStats(text));
  });

  it('cuts a warning at 120 characters, not in the middle of a UTF-8 sequence', () => {
    const line = `  ${'数'.repeat(130)}`;
    const { warnings } = parseDomStats(Buffer.from(`Domain: 'x'\n${line}\n`, 'utf8'));
    expect(warnings).toEqual([`domstats line 2: not a key=value line: ${JSON.stringify(line.slice(0, 120))}`]);
  });
});
