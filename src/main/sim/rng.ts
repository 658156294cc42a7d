// Deterministic noise for the simulator: every random-looking figure is a pure function of
// (seed, entity, time bucket), so a simulated fleet reads the same however often it is polled.

/** 32-bit hash of the parts (FNV-1a over their text, then a murmur3 finaliser). */
export function hash32(...parts: readonly (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    const s = typeof p === 'number' ? p.toString(36) : p;
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    h ^= 0x2f; // part separator, so ('ab','c') and ('a','bc') differ
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A number in [0, 1) determined by the parts. */
export function unit(...parts: readonly (string | number)[]): number {
  return hash32(...parts) / 4294967296;
}

/** An integer in [lo, hi] determined by the parts. */
export function pick(lo: number, hi: number, ...parts: readonly (string | number)[]): number {
  return lo + Math.floor(unit(...parts) * (hi - lo + 1));
}

/** A libvirt-style UUID (lower-case 8-4-4-4-12 hex, version 4 bits set) from the parts. */
export function uuidFrom(...parts: readonly (string | number)[]): string {
  const hex = [0, 1, 2, 3]
    .map((i) =>
      hash32(...parts, 'uuid', i)
        .toString(16)
        .padStart(8, '0'),
    )
    .join('');
  const v = `4${hex.slice(13, 16)}`;
  const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16) + hex.slice(17, 20);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${v}-${variant}-${hex.slice(20, 32)}`;
}
