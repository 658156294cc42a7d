// Pure parser of `virsh list --all --uuid --name`: the name↔UUID map the collector keys VMs by.
// Unparseable lines become warnings, never exceptions.

export interface DomainUuidName {
  uuid: string;
  name: string;
}

export interface ListUuidParseResult {
  items: DomainUuidName[];
  warnings: string[];
}

/** Past this many warnings the rest are only counted (garbage output has one per line). */
const MAX_WARNINGS = 100;

const UUID_LENGTH = 36;

/** 8-4-4-4-12 hex digits. virsh prints lower case; upper is accepted and lowered, so keys compare. */
function isUuidAt(line: string, start: number): boolean {
  for (let i = 0; i < UUID_LENGTH; i++) {
    const c = line.charCodeAt(start + i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45 /* - */) return false;
    } else if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) return false;
  }
  return true;
}

/**
 * Each line is `UUID NAME` (virsh prints `%s %s`, no padding), so the name is everything after
 * the first space, kept byte for byte: names may hold spaces, quotes and any unicode. Only a
 * trailing carriage return is dropped (output through a pty).
 */
export function parseListUuidName(text: string): ListUuidParseResult {
  const items: DomainUuidName[] = [];
  const warnings: string[] = [];
  let suppressed = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i] as string;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.trim() === '') continue;
    const ok = line.length > UUID_LENGTH + 1 && isUuidAt(line, 0) && line.charCodeAt(UUID_LENGTH) === 32;
    if (!ok) {
      if (warnings.length < MAX_WARNINGS) {
        warnings.push(`virsh list --uuid --name: line ${i + 1} not understood: ${JSON.stringify(line.slice(0, 200))}`);
      } else suppressed++;
      continue;
    }
    items.push({ uuid: line.slice(0, UUID_LENGTH).toLowerCase(), name: line.slice(UUID_LENGTH + 1) });
  }
  if (suppressed > 0) warnings.push(`${suppressed} more warnings not shown`);
  return { items, warnings };
}

/** `virsh list --all --autostart --uuid`: one UUID per line; anything else is a warning. */
export function parseUuidLines(text: string, warnings: string[]): Set<string> {
  const out = new Set<string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    if (line.length === UUID_LENGTH && isUuidAt(line, 0)) out.add(line.toLowerCase());
    else if (warnings.length < MAX_WARNINGS) {
      warnings.push(`virsh list --autostart --uuid: not a UUID: ${JSON.stringify(line.slice(0, 200))}`);
    }
  }
  return out;
}
