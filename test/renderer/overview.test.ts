// Overview's pure parts: fleet totals and the heatmap's layout, hit test and colours.
import { describe, expect, it } from 'vitest';
import type { HostView } from '../../src/shared/model/host';
import type { HostSnapshot } from '../../src/shared/model/metrics';
import { fleetTotals } from '../../src/renderer/overview/fleet-totals';
import { CELL, GAP, LABEL_W, cellAt, heatColor, layoutHeatmap } from '../../src/renderer/overview/heatmap';
import { vmFigures } from '../helpers/snapshots';

const view = (id: string, status: HostView['status']): HostView => ({
  config: { id, name: id, address: 'x', uri: 'q', intervalSec: 10, timeoutSec: 5, enabled: true, simulated: false },
  status,
  reason: null,
  resolved: null,
  warnings: [],
  lastSeen: null,
  pendingHostKey: null,
  vms: [],
});

describe('fleet totals', () => {
  it('counts hosts by status, VMs by state, and what running VMs commit', () => {
    const host = { cpus: 8, memTotalKiB: 16 * 1024 * 1024 } as HostSnapshot['host'];
    const snaps = new Map<string, HostSnapshot>([
      [
        'a',
        {
          hostId: 'a',
          ts: 1,
          host,
          vms: [
            vmFigures(1, 0, { vcpus: 4, memKiB: 4 * 1024 * 1024 }),
            vmFigures(2, 0, { state: 'shut off', vcpus: 16, memKiB: 64 * 1024 * 1024 }),
          ],
          warnings: [],
          cycleMs: 1,
        },
      ],
    ]);
    const t = fleetTotals([view('a', 'ok'), view('b', 'unreachable')], snaps);
    expect(t).toMatchObject({
      hosts: 2,
      hostsByStatus: { ok: 1, unreachable: 1 },
      vms: 2,
      vmsByState: { running: 1, 'shut off': 1 },
      vcpusCommitted: 4,
      cpus: 8,
      memCommittedKiB: 4 * 1024 * 1024,
      memTotalKiB: 16 * 1024 * 1024,
    });
  });
});

describe('heatmap', () => {
  const cells = (n: number) => Array.from({ length: n }, (_, i) => ({ uuid: `u${i}`, name: `vm${i}`, value: i }));

  it('lays hosts out as rows that wrap, and finds the cell under a point', () => {
    const width = LABEL_W + 10 * (CELL + GAP); // ten cells a row
    const l = layoutHeatmap(
      [
        { id: 'a', name: 'a', cells: cells(25) },
        { id: 'b', name: 'b', cells: cells(3) },
      ],
      width,
    );
    expect(l.cells).toHaveLength(28);
    expect(l.labels.map((x) => x.text)).toEqual(['a', 'b']);
    const a24 = l.cells[24];
    expect([a24?.x, a24?.y]).toEqual([LABEL_W + 4 * (CELL + GAP), 2 * (CELL + GAP)]);
    const b0 = l.cells[25];
    expect(b0?.y).toBeGreaterThan(a24?.y ?? 0);
    expect(cellAt(l, (b0?.x ?? 0) + 1, (b0?.y ?? 0) + 1)).toMatchObject({ hostId: 'b', uuid: 'u0' });
    expect(cellAt(l, 5, 5)).toBeNull(); // the label column
  });

  it('colours from green to red, unknown grey', () => {
    expect(heatColor(0)).toBe('hsl(140, 62%, 36%)');
    expect(heatColor(100)).toBe('hsl(0, 62%, 46%)');
    expect(heatColor(250)).toBe(heatColor(100));
    expect(heatColor(null)).toBe('#3a3a44');
  });
});
