// Pure parser of `virsh list --all` (the table form): id, name, state per row.
// Unparseable lines become warnings, never exceptions.
import type { VmState } from '../../shared/model/host';

export interface ListedDomain {
  domId: number | null;
  name: string;
  state: VmState;
}

export interface ParseResult<T> {
  items: T[];
  warnings: string[];
}

/** virsh's state words, mapped to VirtDeck's names. */
const STATE_WORDS: Record<string, VmState> = {
  running: 'running',
  idle: 'idle',
  blocked: 'idle',
  paused: 'paused',
  'in shutdown': 'in shutdown',
  'shut off': 'shut off',
  crashed: 'crashed',
  pmsuspended: 'pmsuspended',
  'no state': 'unknown',
  dying: 'in shutdown',
};

const ROW = new RegExp(
  `^\\s*(\\d+|-)\\s+(.+?)\\s+(${Object.keys(STATE_WORDS)
    .map((w) => w.replace(' ', '\\s'))
    .join('|')})\\s*$`,
);

export function parseVirshList(text: string): ParseResult<ListedDomain> {
  const items: ListedDomain[] = [];
  const warnings: string[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '' || /^\s*-{3,}\s*$/.test(line) || /^\s*Id\s+Name\s+State\s*$/.test(line)) continue;
    const m = ROW.exec(line);
    if (!m) {
      warnings.push(`virsh list: line ${i + 1} not understood: ${JSON.stringify(line.slice(0, 200))}`);
      continue;
    }
    const [, id, name, stateWord] = m as unknown as [string, string, string, string];
    items.push({
      domId: id === '-' ? null : Number(id),
      name,
      state: STATE_WORDS[stateWord.replace(/\s+/, ' ')] ?? 'unknown',
    });
  }
  return { items, warnings };
}
