// The fleet heatmap, pure: every VM a cell, hosts as rows that wrap, a colour per value, and a
// hit test for clicks. Drawn on a canvas (thousands of cells, no DOM node each).
export interface HeatHost {
  id: string;
  name: string;
  cells: { uuid: string; name: string; value: number | null }[];
}

export interface HeatCell {
  x: number;
  y: number;
  hostId: string;
  uuid: string;
  name: string;
  value: number | null;
}

export interface HeatLayout {
  cells: HeatCell[];
  labels: { x: number; y: number; text: string }[];
  height: number;
}

export const CELL = 14;
export const GAP = 2;
export const LABEL_W = 120;
const ROW_GAP = 8;

export function layoutHeatmap(hosts: readonly HeatHost[], width: number): HeatLayout {
  const perRow = Math.max(1, Math.floor((width - LABEL_W) / (CELL + GAP)));
  const cells: HeatCell[] = [];
  const labels: HeatLayout['labels'] = [];
  let y = 0;
  for (const h of hosts) {
    labels.push({ x: 0, y, text: h.name });
    h.cells.forEach((c, i) => {
      const col = i % perRow;
      const row = Math.floor(i / perRow);
      cells.push({ x: LABEL_W + col * (CELL + GAP), y: y + row * (CELL + GAP), hostId: h.id, ...c });
    });
    const rows = Math.max(1, Math.ceil(h.cells.length / perRow));
    y += rows * (CELL + GAP) + ROW_GAP;
  }
  return { cells, labels, height: Math.max(y, CELL) };
}

/** The cell under a point, if any. */
export function cellAt(layout: HeatLayout, x: number, y: number): HeatCell | null {
  for (const c of layout.cells) if (x >= c.x && x < c.x + CELL && y >= c.y && y < c.y + CELL) return c;
  return null;
}

/** 0 % green → 50 % amber → 100 % red; unknown grey. */
export function heatColor(pct: number | null): string {
  if (pct === null || !Number.isFinite(pct)) return '#3a3a44';
  const p = Math.max(0, Math.min(100, pct)) / 100;
  const hue = 140 - 140 * p; // 140 green → 0 red
  return `hsl(${hue.toFixed(0)}, 62%, ${(36 + 10 * p).toFixed(0)}%)`;
}
