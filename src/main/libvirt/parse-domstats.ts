// Pure parser of `virsh domstats --raw`: one DomStats per `Domain: 'NAME'` block, counters as read.
// Built for hosts with thousands of domains: one pass over the output's bytes as received, no
// regex per line, and only names and paths ever become strings.
import type { VmState } from '../../shared/model/host';
import { stateReasonName, vmStateFromCode } from './domain-state';

export interface DomBalloonStats {
  currentKiB: number | null;
  maximumKiB: number | null;
  unusedKiB: number | null;
  availableKiB: number | null;
  usableKiB: number | null;
  rssKiB: number | null;
  swapInKiB: number | null;
  swapOutKiB: number | null;
  majorFault: number | null;
  minorFault: number | null;
  lastUpdate: number | null;
}

export interface DomNetStats {
  name: string;
  rxBytes: number | null;
  rxPkts: number | null;
  rxErrs: number | null;
  rxDrop: number | null;
  txBytes: number | null;
  txPkts: number | null;
  txErrs: number | null;
  txDrop: number | null;
}

export interface DomBlockStats {
  name: string;
  path: string | null;
  rdReqs: number | null;
  rdBytes: number | null;
  wrReqs: number | null;
  wrBytes: number | null;
  flReqs: number | null;
  capacity: number | null;
  allocation: number | null;
  physical: number | null;
}

export interface DomStats {
  name: string;
  state: VmState;
  stateCode: number | null;
  reasonCode: number | null;
  /** libvirt's reason name (domain-state.ts), 'unknown' when absent. */
  reason: string;
  cpuTimeNs: number | null;
  cpuUserNs: number | null;
  cpuSystemNs: number | null;
  balloon: DomBalloonStats;
  vcpuCurrent: number | null;
  vcpuMaximum: number | null;
  /** Sum of vcpu.N.time. */
  vcpuTimeNs: number | null;
  /** Sum of vcpu.N.delay (runnable but not scheduled: steal), null when no vCPU reports it. */
  vcpuDelayNs: number | null;
  nets: DomNetStats[];
  /** Top-level disks only; backing-chain elements are left out (see isChainElement). */
  blocks: DomBlockStats[];
}

export interface DomStatsParseResult {
  domains: DomStats[];
  warnings: string[];
}

/** Garbage output can have a warning per line; past this many the rest are only counted. */
export const MAX_WARNINGS = 100;

// What a recognised key does with its value.
const K_DOMAIN = 0; // a number field of DomStats
const K_NET = 1; // a number field of DomNetStats
const K_BLOCK = 2; // a number field of DomBlockStats
const K_NET_NAME = 3;
const K_BLOCK_NAME = 4;
const K_BLOCK_PATH = 5;
const K_BLOCK_BACKING = 6;
const K_NET_COUNT = 7;
const K_BLOCK_COUNT = 8;
const K_VCPU_TIME = 9;
const K_VCPU_DELAY = 10;

/** One recognised key. Every Slot has all fields, so that V8 sees a single object shape. */
interface Slot {
  /** The key, `#` standing for the entry index: net.#.rx.bytes is net.0.rx.bytes, net.1.rx.bytes, … */
  pattern: string;
  kind: number;
  domain: ((d: DomStats, v: number) => void) | null;
  net: ((n: DomNetStats, v: number) => void) | null;
  block: ((b: DomBlockStats, v: number) => void) | null;
}

const slot = (pattern: string, kind: number, set: Partial<Pick<Slot, 'domain' | 'net' | 'block'>> = {}): Slot => ({
  pattern,
  kind,
  domain: set.domain ?? null,
  net: set.net ?? null,
  block: set.block ?? null,
});
const onDomain = (pattern: string, domain: (d: DomStats, v: number) => void) => slot(pattern, K_DOMAIN, { domain });
const onNet = (pattern: string, net: (n: DomNetStats, v: number) => void) => slot(pattern, K_NET, { net });
const onBlock = (pattern: string, block: (b: DomBlockStats, v: number) => void) => slot(pattern, K_BLOCK, { block });

/**
 * The keys VirtDeck reads. Keys libvirt prints that are not here (cpu.cache.*, dirtyrate.*,
 * perf.*, vcpu.N.wait, block.N.rd.times, …) are skipped silently: new libvirt stats must never
 * produce warnings.
 */
const SLOTS: readonly Slot[] = [
  onDomain('state.state', (d, v) => (d.stateCode = v)),
  onDomain('state.reason', (d, v) => (d.reasonCode = v)),
  onDomain('cpu.time', (d, v) => (d.cpuTimeNs = v)),
  onDomain('cpu.user', (d, v) => (d.cpuUserNs = v)),
  onDomain('cpu.system', (d, v) => (d.cpuSystemNs = v)),
  onDomain('balloon.current', (d, v) => (d.balloon.currentKiB = v)),
  onDomain('balloon.maximum', (d, v) => (d.balloon.maximumKiB = v)),
  onDomain('balloon.unused', (d, v) => (d.balloon.unusedKiB = v)),
  onDomain('balloon.available', (d, v) => (d.balloon.availableKiB = v)),
  onDomain('balloon.usable', (d, v) => (d.balloon.usableKiB = v)),
  onDomain('balloon.rss', (d, v) => (d.balloon.rssKiB = v)),
  onDomain('balloon.swap_in', (d, v) => (d.balloon.swapInKiB = v)),
  onDomain('balloon.swap_out', (d, v) => (d.balloon.swapOutKiB = v)),
  onDomain('balloon.major_fault', (d, v) => (d.balloon.majorFault = v)),
  onDomain('balloon.minor_fault', (d, v) => (d.balloon.minorFault = v)),
  onDomain('balloon.last-update', (d, v) => (d.balloon.lastUpdate = v)),
  onDomain('vcpu.current', (d, v) => (d.vcpuCurrent = v)),
  onDomain('vcpu.maximum', (d, v) => (d.vcpuMaximum = v)),
  slot('vcpu.#.time', K_VCPU_TIME),
  slot('vcpu.#.delay', K_VCPU_DELAY),
  slot('net.count', K_NET_COUNT),
  slot('net.#.name', K_NET_NAME),
  onNet('net.#.rx.bytes', (n, v) => (n.rxBytes = v)),
  onNet('net.#.rx.pkts', (n, v) => (n.rxPkts = v)),
  onNet('net.#.rx.errs', (n, v) => (n.rxErrs = v)),
  onNet('net.#.rx.drop', (n, v) => (n.rxDrop = v)),
  onNet('net.#.tx.bytes', (n, v) => (n.txBytes = v)),
  onNet('net.#.tx.pkts', (n, v) => (n.txPkts = v)),
  onNet('net.#.tx.errs', (n, v) => (n.txErrs = v)),
  onNet('net.#.tx.drop', (n, v) => (n.txDrop = v)),
  slot('block.count', K_BLOCK_COUNT),
  slot('block.#.name', K_BLOCK_NAME),
  slot('block.#.path', K_BLOCK_PATH),
  slot('block.#.backingIndex', K_BLOCK_BACKING),
  onBlock('block.#.rd.reqs', (b, v) => (b.rdReqs = v)),
  onBlock('block.#.rd.bytes', (b, v) => (b.rdBytes = v)),
  onBlock('block.#.wr.reqs', (b, v) => (b.wrReqs = v)),
  onBlock('block.#.wr.bytes', (b, v) => (b.wrBytes = v)),
  onBlock('block.#.fl.reqs', (b, v) => (b.flReqs = v)),
  onBlock('block.#.capacity', (b, v) => (b.capacity = v)),
  onBlock('block.#.allocation', (b, v) => (b.allocation = v)),
  onBlock('block.#.physical', (b, v) => (b.physical = v)),
];

const HEADER = Buffer.from("Domain: '", 'latin1');
const NOT_A_NUMBER = -1;
const NO_INDEX = -1;
/** An index of more than 9 digits: never a real one, so always outside the count. */
const HUGE_INDEX = -2;
const CH_TAB = 9;
const CH_LF = 10;
const CH_CR = 13;
const CH_SPACE = 32;
const CH_HASH = 35;
const CH_DOT = 46;
const CH_0 = 48;
const CH_EQ = 61;
const CH_QUOTE = 39;
const CH_D = 68;

function isDigit(c: number): boolean {
  return c >= CH_0 && c <= CH_0 + 9;
}

/**
 * The recognised keys as a trie over their characters, walked while the scanner looks for the
 * `=`: a key is recognised exactly, without building or hashing a string. `#` is the edge for an
 * entry index (a run of digits right after a dot). The trie is a flat table of small integers,
 * `NEXT[state * WIDTH + CLASS[char]]`, rather than linked objects: it fits in the CPU's L1 cache,
 * and chasing object pointers per character cost the parser a quarter of its time.
 */
function buildKeyTrie(slots: readonly Slot[]) {
  const classOf = new Uint8Array(128); // 0 for a character no key has: it leads to the dead state
  let width = 1;
  for (const s of slots) {
    for (let j = 0; j < s.pattern.length; j++) {
      const c = s.pattern.charCodeAt(j);
      if (classOf[c] === 0) classOf[c] = width++;
    }
  }
  const next: number[] = new Array<number>(2 * width).fill(DEAD); // the dead state, then the root
  const slotAt: (Slot | null)[] = [null, null];
  for (const s of slots) {
    let state = ROOT;
    for (let j = 0; j < s.pattern.length; j++) {
      const at = state * width + (classOf[s.pattern.charCodeAt(j)] as number);
      if (next[at] === DEAD) {
        next[at] = slotAt.length;
        slotAt.push(null);
        for (let k = 0; k < width; k++) next.push(DEAD);
      }
      state = next[at] as number;
    }
    slotAt[state] = s;
  }
  return { classOf, width, next: Int16Array.from(next), slotAt };
}

const DEAD = 0;
const ROOT = 1;
const { classOf: CLASS, width: WIDTH, next: NEXT, slotAt: SLOT_AT } = buildKeyTrie(SLOTS);
const HASH_CLASS = CLASS[CH_HASH] as number;

function newDomain(name: string): DomStats {
  return {
    name,
    state: 'unknown',
    stateCode: null,
    reasonCode: null,
    reason: 'unknown',
    cpuTimeNs: null,
    cpuUserNs: null,
    cpuSystemNs: null,
    balloon: {
      currentKiB: null,
      maximumKiB: null,
      unusedKiB: null,
      availableKiB: null,
      usableKiB: null,
      rssKiB: null,
      swapInKiB: null,
      swapOutKiB: null,
      majorFault: null,
      minorFault: null,
      lastUpdate: null,
    },
    vcpuCurrent: null,
    vcpuMaximum: null,
    vcpuTimeNs: null,
    vcpuDelayNs: null,
    nets: [],
    blocks: [],
  };
}

function newNet(): DomNetStats {
  return {
    name: '',
    rxBytes: null,
    rxPkts: null,
    rxErrs: null,
    rxDrop: null,
    txBytes: null,
    txPkts: null,
    txErrs: null,
    txDrop: null,
  };
}

function newBlock(): DomBlockStats {
  return {
    name: '',
    path: null,
    rdReqs: null,
    rdBytes: null,
    wrReqs: null,
    wrBytes: null,
    flReqs: null,
    capacity: null,
    allocation: null,
    physical: null,
  };
}

/** The net.N.* or block.N.* entries of the domain being read, in the order libvirt prints them. */
class IndexedGroup<E extends { name: string }> {
  count: number | null = null;
  readonly indexes: number[] = [];
  readonly entries: E[] = [];
  /** block.N.backingIndex: it decides whether an entry is a top-level disk, but is not output. */
  readonly backing: (number | null)[] = [];
  readonly named: boolean[] = [];
  /** Position of the entry entry() returned last. */
  last = -1;
  /** Whether the entries came in index order, as libvirt prints them (a mutated output may not). */
  private ascending = true;

  constructor(
    readonly label: string,
    private readonly make: () => E,
  ) {}

  /** Ready for the next domain. The arrays are reused: collect() hands out copies. */
  reset(): void {
    this.count = null;
    this.indexes.length = 0;
    this.entries.length = 0;
    this.backing.length = 0;
    this.named.length = 0;
    this.last = -1;
    this.ascending = true;
  }

  /** The entry with libvirt index `index`, created on first use. */
  entry(index: number): E {
    // libvirt prints each entry's keys together, so the previous entry is almost always the one.
    if (this.last < 0 || this.indexes[this.last] !== index) {
      let at = this.indexes.indexOf(index);
      if (at < 0) {
        at = this.entries.length;
        if (at > 0 && index < (this.indexes[at - 1] as number)) this.ascending = false;
        this.indexes.push(index);
        this.entries.push(this.make());
        this.backing.push(null);
        this.named.push(false);
      }
      this.last = at;
    }
    return this.entries[this.last] as E;
  }

  /** Positions of the entries in index order, or null when that is the order they came in. */
  order(): number[] | null {
    if (this.ascending) return null;
    return this.indexes.map((_, i) => i).sort((a, b) => (this.indexes[a] as number) - (this.indexes[b] as number));
  }
}

/**
 * The backing-chain rule. With `--backing`, libvirt lists every layer of a disk's chain as its own
 * block.N entry carrying the disk's target name (vda) and `backingIndex` (the `index` attribute of
 * the layer's <source>/<backingStore> in the live XML), top layer first, e.g. block.0 vda
 * backingIndex=1 (the overlay) then block.1 vda backingIndex=2 (base.qcow2); see
 * qemu_domstats_raw_backing.txt. Without `--backing`, QEMU domains still report backingIndex=1 for
 * each top-level disk, so the index alone proves nothing. An entry is therefore a chain element
 * when it has a backingIndex AND an earlier entry with a backingIndex carried the same name;
 * entries without one (older libvirt, network disks) are always kept.
 */
function isChainElement(name: string, backingIndex: number | null, namesWithBacking: string[]): boolean {
  return backingIndex !== null && namesWithBacking.includes(name);
}

/** Whether `bytes` holds `what` at `at`. */
function startsWithAt(bytes: Buffer, what: Buffer, at: number): boolean {
  if (at + what.length > bytes.length) return false;
  for (let k = 0; k < what.length; k++) if (bytes[at + k] !== what[k]) return false;
  return true;
}

class DomStatsParser {
  private readonly domains: DomStats[] = [];
  private readonly warnings: string[] = [];
  private suppressed = 0;
  private cur: DomStats | null = null;
  private vcpuTime = 0;
  private vcpuTimeSeen = false;
  private vcpuDelay = 0;
  private vcpuDelaySeen = false;
  private readonly nets = new IndexedGroup('net', newNet);
  private readonly blocks = new IndexedGroup('block', newBlock);
  private readonly len: number;
  /** Where readNumber() stopped: a second result without allocating a pair. */
  private stop = 0;
  /** collect()'s scratch list, kept to spare an allocation per domain. */
  private readonly namesWithBacking: string[] = [];

  constructor(private readonly bytes: Buffer) {
    this.len = bytes.length;
  }

  /** The UTF-8 text from `start` to `end`: a string of its own, never a slice of a big one. */
  private str(start: number, end: number): string {
    return this.bytes.toString('utf8', start, end);
  }

  /** The byte at `i`, or -1 past the end (a typed array read out of bounds would be undefined). */
  private at(i: number): number {
    return i < this.len ? (this.bytes[i] as number) : -1;
  }

  run(): DomStatsParseResult {
    let pos = 0;
    let lineNo = 1;
    // A cut-off last line cannot be told from a whole one. The collector discards the output of
    // a command that did not exit 0, so a last line without its newline is read like any other.
    while (pos < this.len) {
      pos = this.line(pos, lineNo) + 1;
      lineNo++;
    }
    this.finishDomain();
    if (this.suppressed > 0) this.warnings.push(`${this.suppressed} more warnings not shown`);
    return { domains: this.domains, warnings: this.warnings };
  }

  private warn(lineNo: number, start: number, end: number, why: string): void {
    if (this.warnings.length >= MAX_WARNINGS) {
      this.suppressed++;
      return;
    }
    const shown = JSON.stringify(this.str(start, end).slice(0, 120));
    this.warnings.push(`domstats line ${lineNo}: ${why}: ${shown}`);
  }

  /** The newline ending the line that holds `from`, or the text's length. */
  private lineEnd(from: number): number {
    const nl = this.bytes.indexOf(CH_LF, from);
    return nl < 0 ? this.len : nl;
  }

  /** The end of a string value: its line's end, less a carriage return (output through a pty). */
  private valueEnd(lineEnd: number, from: number): number {
    return lineEnd > from && this.bytes[lineEnd - 1] === CH_CR ? lineEnd - 1 : lineEnd;
  }

  /**
   * The unsigned decimal from `from` to the end of the line, or NOT_A_NUMBER; `stop` is where the
   * digits ended. Values past 2^53 (64-bit counters can get there) lose precision like any JS
   * number; up to 15 digits the digit loop is exact.
   */
  private readNumber(from: number): number {
    let i = from;
    let v = 0;
    let c = this.at(i);
    while (isDigit(c)) {
      v = v * 10 + (c - CH_0);
      c = this.at(++i);
    }
    this.stop = i;
    const digits = i - from;
    if (c === CH_CR) c = this.at(i + 1);
    if (digits === 0 || digits > 20 || (c !== -1 && c !== CH_LF)) return NOT_A_NUMBER; // -1: end of text
    return digits > 15 ? Number(this.bytes.toString('latin1', from, i)) : v;
  }

  /** Reads the line starting at `start`; returns the position of its newline (or the text's end). */
  private line(start: number, lineNo: number): number {
    const text = this.bytes;
    const len = this.len;
    let i = start;
    let c = this.at(i);
    if (c === CH_D && startsWithAt(text, HEADER, i)) return this.header(start, lineNo);
    while (c === CH_SPACE || c === CH_TAB) c = this.at(++i);
    const keyStart = i;
    // The key: walked down the trie on the way to `=`, its first entry index noted.
    let state = ROOT;
    let index = NO_INDEX;
    while (c !== CH_EQ && c !== CH_LF && i < len) {
      if (state !== DEAD) {
        if (isDigit(c) && text[i - 1] === CH_DOT) {
          const from = i;
          let n = 0;
          while (isDigit(c)) {
            n = n * 10 + (c - CH_0);
            c = this.at(++i);
          }
          if (index === NO_INDEX) index = i - from > 9 ? HUGE_INDEX : n;
          state = NEXT[state * WIDTH + HASH_CLASS] as number;
          continue;
        }
        state = c < 128 ? (NEXT[state * WIDTH + (CLASS[c] as number)] as number) : DEAD;
      }
      c = this.at(++i);
    }
    if (c !== CH_EQ) {
      const blank = i === keyStart || (i === keyStart + 1 && text[keyStart] === CH_CR);
      if (!blank) this.warn(lineNo, start, i, 'not a key=value line');
      return i;
    }
    if (i === keyStart) return this.skip(lineNo, start, i, 'not a key=value line');
    const dom = this.cur;
    if (dom === null) return this.skip(lineNo, start, i, 'key=value outside a Domain block');
    const s = SLOT_AT[state] ?? null;
    if (s === null) return this.lineEnd(i);
    const from = i + 1;
    const kind = s.kind;

    // Entry keys: the index must lie within the count printed before them.
    let group: IndexedGroup<DomNetStats> | IndexedGroup<DomBlockStats> | null = null;
    if (kind === K_NET || kind === K_NET_NAME) group = this.nets;
    else if (kind === K_BLOCK || (kind >= K_BLOCK_NAME && kind <= K_BLOCK_BACKING)) group = this.blocks;
    if (group !== null) {
      if (group.count === null) return this.skip(lineNo, start, i, `${group.label}.N before ${group.label}.count`);
      if (index < 0 || index >= group.count) {
        return this.skip(lineNo, start, i, `index outside ${group.label}.count=${group.count}`);
      }
    }

    if (kind === K_NET_NAME || kind === K_BLOCK_NAME || kind === K_BLOCK_PATH) {
      const end = this.lineEnd(from);
      const value = this.str(from, this.valueEnd(end, from));
      if (kind === K_NET_NAME) {
        this.nets.entry(index).name = value;
        this.nets.named[this.nets.last] = true;
      } else if (kind === K_BLOCK_NAME) {
        this.blocks.entry(index).name = value;
        this.blocks.named[this.blocks.last] = true;
      } else this.blocks.entry(index).path = value;
      return end;
    }

    const v = this.readNumber(from);
    if (v === NOT_A_NUMBER) return this.skip(lineNo, start, this.stop, 'value is not an unsigned number');
    switch (kind) {
      case K_DOMAIN:
        (s.domain as (d: DomStats, v: number) => void)(dom, v);
        break;
      case K_NET:
        (s.net as (n: DomNetStats, v: number) => void)(this.nets.entry(index), v);
        break;
      case K_BLOCK:
        (s.block as (b: DomBlockStats, v: number) => void)(this.blocks.entry(index), v);
        break;
      case K_BLOCK_BACKING:
        this.blocks.entry(index);
        this.blocks.backing[this.blocks.last] = v;
        break;
      case K_NET_COUNT:
        this.nets.count = v;
        break;
      case K_BLOCK_COUNT:
        this.blocks.count = v;
        break;
      case K_VCPU_TIME:
        this.vcpuTime += v;
        this.vcpuTimeSeen = true;
        break;
      case K_VCPU_DELAY:
        this.vcpuDelay += v;
        this.vcpuDelaySeen = true;
        break;
    }
    // readNumber() saw the line end right after the digits (a CR, then LF or the text's end).
    const stop = this.stop;
    return text[stop] === CH_CR ? stop + 1 : stop;
  }

  /** Warns about the line holding `at` and returns its end. */
  private skip(lineNo: number, start: number, at: number, why: string): number {
    const end = this.lineEnd(at);
    this.warn(lineNo, start, end, why);
    return end;
  }

  private header(start: number, lineNo: number): number {
    this.finishDomain();
    const end = this.lineEnd(start);
    const nameStart = start + HEADER.length;
    // Names may contain quotes: the name ends at the last quote of the line.
    const close = end > 0 ? this.bytes.lastIndexOf(CH_QUOTE, end - 1) : -1;
    if (close <= nameStart) {
      this.warn(lineNo, start, end, 'Domain line without a quoted name; its stats are skipped');
    } else this.cur = newDomain(this.str(nameStart, close));
    return end;
  }

  private finishDomain(): void {
    const dom = this.cur;
    if (dom === null) return;
    dom.state = vmStateFromCode(dom.stateCode);
    dom.reason = stateReasonName(dom.stateCode, dom.reasonCode);
    if (this.vcpuTimeSeen) dom.vcpuTimeNs = this.vcpuTime;
    if (this.vcpuDelaySeen) dom.vcpuDelayNs = this.vcpuDelay;
    dom.nets = this.collect(dom, this.nets);
    dom.blocks = this.collect(dom, this.blocks);
    this.domains.push(dom);
    this.cur = null;
    this.vcpuTime = 0;
    this.vcpuTimeSeen = false;
    this.vcpuDelay = 0;
    this.vcpuDelaySeen = false;
    this.nets.reset();
    this.blocks.reset();
  }

  /** The group's entries in index order, less nameless ones and backing-chain elements. */
  private collect<E extends { name: string }>(dom: DomStats, group: IndexedGroup<E>): E[] {
    const { entries } = group;
    const out: E[] = [];
    if (entries.length === 0) return out;
    const order = group.order();
    const namesWithBacking = this.namesWithBacking;
    namesWithBacking.length = 0;
    for (let k = 0; k < entries.length; k++) {
      const at = order === null ? k : (order[k] as number);
      const entry = entries[at] as E;
      if (!group.named[at]) {
        const which = `${group.label}.${group.indexes[at]}`;
        if (this.warnings.length < MAX_WARNINGS) {
          this.warnings.push(`domstats: domain ${JSON.stringify(dom.name)}: ${which} has no name; dropped`);
        } else this.suppressed++;
        continue;
      }
      const backing = group.backing[at] ?? null;
      if (isChainElement(entry.name, backing, namesWithBacking)) continue;
      if (backing !== null) namesWithBacking.push(entry.name);
      out.push(entry);
    }
    return out;
  }
}

/**
 * Reads `virsh domstats --raw` output into one DomStats per domain. Never throws: malformed lines
 * (no `=`, a non-numeric value where a number belongs, stats outside a Domain block, an index past
 * net.count or block.count) become warnings naming their line, and every other domain is kept.
 * The output is read as UTF-8 bytes (as the collector receives it) or as text.
 */
export function parseDomStats(output: Uint8Array | string): DomStatsParseResult {
  const bytes =
    typeof output === 'string'
      ? Buffer.from(output, 'utf8')
      : Buffer.from(output.buffer, output.byteOffset, output.byteLength);
  return new DomStatsParser(bytes).run();
}
