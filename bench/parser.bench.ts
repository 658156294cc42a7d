// How fast parseDomStats reads a 10,000-domain `virsh domstats --raw`, against a naive
// split-and-regex parser measured in the same run. Exports run() for the bench runner.
import { parseDomStats } from '../src/main/libvirt/parse-domstats';
import { median } from './lib/figures';
import type { Figure } from './lib/figures';

const DOMAINS = 10_000;
const WARMUP_RUNS = 8;
const TIMED_RUNS = 11;

/** Deterministic pseudo-random integers (mulberry32), so every run parses the same text. */
function prng(seed: number): (max: number) => number {
  let a = seed >>> 0;
  return (max) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * max);
  };
}

/**
 * A domstats text with `count` domains, each with the keys, order and value sizes of a real QEMU
 * domain from libvirt 9 (test/fixtures/virsh/qemu_domstats_raw_5dom_tap.txt), with 1–4 vCPUs,
 * 1–2 NICs and 1–2 disks.
 */
export function buildDomStatsText(count: number): string {
  const rnd = prng(20251122);
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    const vcpus = 1 + rnd(4);
    const nics = 1 + rnd(2);
    const disks = 1 + rnd(2);
    const user = 1e9 + rnd(9e9);
    const system = 1e8 + rnd(9e8);
    const l = [
      `Domain: 'bench-vm-${String(i).padStart(5, '0')}'`,
      '  state.state=1',
      '  state.reason=1',
      `  cpu.time=${user + system}`,
      `  cpu.user=${user}`,
      `  cpu.system=${system}`,
      '  cpu.cache.monitor.count=0',
      '  cpu.haltpoll.success.time=0',
      '  cpu.haltpoll.fail.time=0',
      `  balloon.current=${1048576 * vcpus}`,
      `  balloon.maximum=${1048576 * vcpus}`,
      '  balloon.last-update=0',
      `  balloon.rss=${500000 + rnd(500000)}`,
      `  vcpu.current=${vcpus}`,
      `  vcpu.maximum=${vcpus}`,
    ];
    for (let v = 0; v < vcpus; v++) {
      l.push(
        `  vcpu.${v}.state=1`,
        `  vcpu.${v}.time=${rnd(9e9)}`,
        `  vcpu.${v}.wait=0`,
        `  vcpu.${v}.delay=${rnd(9e7)}`,
      );
    }
    l.push(`  net.count=${nics}`);
    for (let n = 0; n < nics; n++) {
      l.push(
        `  net.${n}.name=vnet${i * 2 + n}`,
        `  net.${n}.rx.bytes=${rnd(9e9)}`,
        `  net.${n}.rx.pkts=${rnd(9e6)}`,
        `  net.${n}.rx.errs=0`,
        `  net.${n}.rx.drop=${rnd(10)}`,
        `  net.${n}.tx.bytes=${rnd(9e9)}`,
        `  net.${n}.tx.pkts=${rnd(9e6)}`,
        `  net.${n}.tx.errs=0`,
        `  net.${n}.tx.drop=0`,
      );
    }
    l.push(`  block.count=${disks}`);
    for (let d = 0; d < disks; d++) {
      l.push(
        `  block.${d}.name=vd${String.fromCharCode(97 + d)}`,
        `  block.${d}.path=/var/lib/libvirt/images/bench-vm-${i}-${d}.qcow2`,
        `  block.${d}.backingIndex=${1 + 2 * d}`,
        `  block.${d}.rd.reqs=${rnd(9e6)}`,
        `  block.${d}.rd.bytes=${rnd(9e9)}`,
        `  block.${d}.rd.times=${rnd(9e9)}`,
        `  block.${d}.wr.reqs=${rnd(9e6)}`,
        `  block.${d}.wr.bytes=${rnd(9e9)}`,
        `  block.${d}.wr.times=${rnd(9e9)}`,
        `  block.${d}.fl.reqs=${rnd(9e5)}`,
        `  block.${d}.fl.times=${rnd(9e8)}`,
        `  block.${d}.allocation=${rnd(9e9)}`,
        `  block.${d}.capacity=21474836480`,
        `  block.${d}.physical=${rnd(9e9)}`,
      );
    }
    l.push(
      '  dirtyrate.calc_status=0',
      '  dirtyrate.calc_start_time=0',
      '  dirtyrate.calc_period=0',
      '  dirtyrate.calc_mode=page-sampling',
      '',
    );
    parts.push(l.join('\n'));
  }
  return parts.join('\n') + '\n';
}

/** The baseline: what one writes without thinking about speed (split, one regex per line, a string map). */
export function naiveParseDomStats(text: string): Record<string, string>[] {
  const domains: Record<string, string>[] = [];
  let cur: Record<string, string> | null = null;
  for (const line of text.split('\n')) {
    const header = /^Domain: '(.*)'$/.exec(line);
    if (header) {
      cur = { name: header[1] ?? '' };
      domains.push(cur);
      continue;
    }
    const kv = /^\s+([^=]+)=(.*)$/.exec(line);
    if (kv && cur) cur[kv[1] ?? ''] = kv[2] ?? '';
  }
  return domains;
}

/**
 * Median milliseconds of `fn` over TIMED_RUNS runs, after WARMUP_RUNS untimed ones: the JIT, and
 * V8 growing its young generation to the size of the result (the collector is a long-lived process).
 */
async function medianMs(fn: () => unknown): Promise<number> {
  for (let i = 0; i < WARMUP_RUNS; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < TIMED_RUNS; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return median(times);
}

/** Throws unless both parsers read every domain of `text`: a fast wrong parser measures nothing. */
function check(text: string): void {
  const { domains, warnings } = parseDomStats(Buffer.from(text, 'utf8'));
  if (domains.length !== DOMAINS || warnings.length > 0) {
    throw new Error(`parser.bench: parsed ${domains.length} domains, ${warnings.length} warnings`);
  }
  if (naiveParseDomStats(text).length !== DOMAINS) throw new Error('parser.bench: the baseline lost domains');
}

export async function run(): Promise<Figure[]> {
  // The parser reads the bytes as the collector receives them from the SSH stream; the baseline
  // gets them decoded (a flat string, which V8 scans about twice as fast as the one Array.join
  // builds), its decoding not counted.
  const bytes = Buffer.from(buildDomStatsText(DOMAINS), 'utf8');
  const text = bytes.toString('utf8');
  const megabytes = bytes.length / 1e6;
  check(text);
  // One parser after the other, not interleaved: each run would otherwise pay for collecting the
  // garbage the other left (the baseline leaves ten times more).
  const fastSec = (await medianMs(() => parseDomStats(bytes))) / 1000;
  const textSec = (await medianMs(() => parseDomStats(text))) / 1000;
  const naiveSec = (await medianMs(() => naiveParseDomStats(text))) / 1000;
  process.stderr.write(
    `parser bench: ${megabytes.toFixed(1)} MB; bytes ${Math.round(megabytes / fastSec)} MB/s, ` +
      `the same as a string (encoded first) ${Math.round(megabytes / textSec)} MB/s, naive ${Math.round(megabytes / naiveSec)} MB/s\n`,
  );
  return [
    {
      name: 'parser.mb_per_s',
      value: megabytes / fastSec,
      unit: 'MB/s',
      target: 100,
      baseline: megabytes / naiveSec,
    },
    {
      name: 'parser.domains_per_s',
      value: DOMAINS / fastSec,
      unit: 'domains/s',
      target: 50_000,
      baseline: DOMAINS / naiveSec,
    },
  ];
}
