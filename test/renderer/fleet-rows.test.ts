// The VM grid's pure model: row index, filters, stable sort on live values.
import { describe, expect, it } from 'vitest';
import type { HostSnapshot } from '../../src/shared/model/metrics';
import { buildRows, filterRows, sameOr, sortRows, vmOf, vmSetSignature } from '../../src/renderer/grid/fleet-rows';
import type { GridContext } from '../../src/renderer/grid/fleet-rows';
import { vmFigures } from '../helpers/snapshots';

function snap(hostId: string, vms: ReturnType<typeof vmFigures>[]): HostSnapshot {
  return { hostId, ts: 1, host: null, vms, warnings: [], cycleMs: 1 };
}

const snapshots = new Map([
  ['h1', snap('h1', [vmFigures(1, 0, { name: 'web-1', cpuPct: 50 }), vmFigures(2, 0, { name: 'db-1', cpuPct: 90 })])],
  [
    'h2',
    snap('h2', [
      vmFigures(3, 0, { name: 'web-2', cpuPct: 50, state: 'paused' }),
      vmFigures(4, 0, { name: 'cache', cpuPct: null }),
    ]),
  ],
]);
const ctx: GridContext = {
  snapshots,
  hostNames: new Map([
    ['h1', 'alpha'],
    ['h2', 'beta'],
  ]),
  alerts: new Map([[`h2/${vmFigures(3, 0).uuid}`, 1]]),
};
const none = { text: '', hostIds: [], states: [], withAlerts: false };
const names = (rows: ReturnType<typeof buildRows>) => rows.map((r) => vmOf(ctx, r)?.name);

describe('fleet rows', () => {
  it('indexes every VM of every host, keyed by host and UUID', () => {
    const rows = buildRows(snapshots);
    expect(rows.map((r) => r.key)).toEqual([
      `h1/${vmFigures(1, 0).uuid}`,
      `h1/${vmFigures(2, 0).uuid}`,
      `h2/${vmFigures(3, 0).uuid}`,
      `h2/${vmFigures(4, 0).uuid}`,
    ]);
    expect(vmSetSignature(snapshots.get('h1') as HostSnapshot)).not.toBe(
      vmSetSignature(snapshots.get('h2') as HostSnapshot),
    );
  });

  it('filters by text (name, host, UUID prefix), host, state and open alerts', () => {
    const rows = buildRows(snapshots);
    expect(names(filterRows(ctx, rows, { ...none, text: 'WEB' }))).toEqual(['web-1', 'web-2']);
    expect(names(filterRows(ctx, rows, { ...none, text: 'beta' }))).toEqual(['web-2', 'cache']);
    expect(names(filterRows(ctx, rows, { ...none, hostIds: ['h1'] }))).toEqual(['web-1', 'db-1']);
    expect(names(filterRows(ctx, rows, { ...none, states: ['paused'] }))).toEqual(['web-2']);
    expect(names(filterRows(ctx, rows, { ...none, withAlerts: true }))).toEqual(['web-2']);
  });

  it('sorts stably, unknown values last when descending', () => {
    const rows = buildRows(snapshots);
    expect(names(sortRows(ctx, rows.slice(), 'cpu', true))).toEqual(['db-1', 'web-1', 'web-2', 'cache']);
    expect(names(sortRows(ctx, rows.slice(), 'name', false))).toEqual(['cache', 'db-1', 'web-1', 'web-2']);
    expect(names(sortRows(ctx, rows.slice(), 'host', true))).toEqual(['web-2', 'cache', 'web-1', 'db-1']);
    expect(names(sortRows(ctx, rows.slice(), 'alerts', true))[0]).toBe('web-2');
  });
});

describe('sameOr (keeps a computed map when nothing in it changed)', () => {
  const names = new Map([
    ['h1', 'alpha'],
    ['h2', 'beta'],
  ]);
  it('gives back the previous map for the same entries in a new map', () => {
    expect(sameOr(names, new Map(names))).toBe(names);
  });
  it('gives the new map when a value, a key or the size differs, or there was none', () => {
    const renamed = new Map([...names, ['h2', 'gamma']]);
    expect(sameOr(names, renamed)).toBe(renamed);
    const otherKey = new Map([
      ['h1', 'alpha'],
      ['h3', 'beta'],
    ]);
    expect(sameOr(names, otherKey)).toBe(otherKey);
    const fewer = new Map([['h1', 'alpha']]);
    expect(sameOr(names, fewer)).toBe(fewer);
    expect(sameOr(undefined, names)).toBe(names);
  });
});

describe('VM grid cells', () => {
  it('formats each figure column and leaves the alerts cell empty without alerts', async () => {
    const { cellText, VM_COLUMNS } = await import('../../src/renderer/grid/vm-columns');
    const vm = vmFigures(1, 0, { cpuPct: 12.345, vcpus: null, netRxBps: 2048, diskWriteBps: null });
    expect(cellText(vm, 'cpu', 'alpha', 0)).toBe('12.3 %');
    expect(cellText(vm, 'vcpus', 'alpha', 0)).toBe('–');
    expect(cellText(vm, 'netRx', 'alpha', 0)).toBe('2.0 KiB/s');
    expect(cellText(vm, 'diskWrite', 'alpha', 0)).toBe('–');
    expect(cellText(vm, 'host', 'alpha', 0)).toBe('alpha');
    expect(cellText(vm, 'alerts', 'alpha', 0)).toBe('');
    expect(cellText(vm, 'alerts', 'alpha', 2)).toBe('2');
    // every track has a fixed size or a fixed minimum: a cell's text cannot move the columns
    for (const c of VM_COLUMNS) expect(c.width).toMatch(/^(\d+px|minmax\(\d+px, \d+fr\))$/);
  });
});
