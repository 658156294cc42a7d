// The fleet-wide VM grid's model, pure: rows are (host, index) references into the latest host
// snapshots — rebuilt only when a host's VM set changes — and filter/sort read the live values.
import type { HostSnapshot, VmFigures } from '../../shared/model/metrics';

export interface FleetRow {
  /** `hostId/uuid` (or `hostId/name:…` before the UUID is known). */
  key: string;
  hostId: string;
  /** Index of the VM in its host's latest snapshot. */
  idx: number;
}

export const SORT_KEYS = [
  'name',
  'host',
  'state',
  'vcpus',
  'cpu',
  'mem',
  'netRx',
  'netTx',
  'diskRead',
  'diskWrite',
  'steal',
  'alerts',
] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export interface GridFilter {
  text: string;
  hostIds: string[];
  states: string[];
  withAlerts: boolean;
}

export interface GridContext {
  snapshots: ReadonlyMap<string, HostSnapshot>;
  hostNames: ReadonlyMap<string, string>;
  /** Open alerts per `hostId/uuid`. */
  alerts: ReadonlyMap<string, number>;
}

const vmKey = (hostId: string, vm: VmFigures) => `${hostId}/${vm.uuid ?? `name:${vm.name}`}`;

/** The VM set of a snapshot, to tell whether the row index must be rebuilt. */
export function vmSetSignature(s: HostSnapshot): string {
  let sig = String(s.vms.length);
  for (const v of s.vms) sig += `|${v.uuid ?? v.name}`;
  return sig;
}

export function buildRows(snapshots: ReadonlyMap<string, HostSnapshot>): FleetRow[] {
  const rows: FleetRow[] = [];
  for (const [hostId, s] of snapshots) s.vms.forEach((vm, idx) => rows.push({ key: vmKey(hostId, vm), hostId, idx }));
  return rows;
}

export function vmOf(ctx: GridContext, row: FleetRow): VmFigures | undefined {
  return ctx.snapshots.get(row.hostId)?.vms[row.idx];
}

function value(ctx: GridContext, row: FleetRow, key: SortKey): number | string {
  const vm = vmOf(ctx, row);
  if (!vm) return '';
  switch (key) {
    case 'name':
      return vm.name.toLowerCase();
    case 'host':
      return (ctx.hostNames.get(row.hostId) ?? row.hostId).toLowerCase();
    case 'state':
      return vm.state;
    case 'vcpus':
      return vm.vcpus ?? -1;
    case 'cpu':
      return vm.cpuPct ?? -1;
    case 'mem':
      return vm.memPct ?? -1;
    case 'netRx':
      return vm.netRxBps ?? -1;
    case 'netTx':
      return vm.netTxBps ?? -1;
    case 'diskRead':
      return vm.diskReadBps ?? -1;
    case 'diskWrite':
      return vm.diskWriteBps ?? -1;
    case 'steal':
      return vm.stealPct ?? -1;
    case 'alerts':
      return ctx.alerts.get(row.key) ?? 0;
  }
}

export function filterRows(ctx: GridContext, rows: readonly FleetRow[], f: GridFilter): FleetRow[] {
  const text = f.text.trim().toLowerCase();
  const hosts = f.hostIds.length ? new Set(f.hostIds) : null;
  const states = f.states.length ? new Set(f.states) : null;
  if (!text && !hosts && !states && !f.withAlerts) return rows.slice();
  return rows.filter((r) => {
    if (hosts && !hosts.has(r.hostId)) return false;
    const vm = vmOf(ctx, r);
    if (!vm) return false;
    if (states && !states.has(vm.state)) return false;
    if (f.withAlerts && !ctx.alerts.get(r.key)) return false;
    if (text) {
      const host = ctx.hostNames.get(r.hostId) ?? '';
      if (
        !vm.name.toLowerCase().includes(text) &&
        !host.toLowerCase().includes(text) &&
        !(vm.uuid ?? '').startsWith(text)
      )
        return false;
    }
    return true;
  });
}

/** Sorts in place (stable): the values are read once per row, not once per comparison. */
export function sortRows(ctx: GridContext, rows: FleetRow[], key: SortKey, desc: boolean): FleetRow[] {
  const keyed = rows.map((r, i) => ({ r, v: value(ctx, r, key), i }));
  const dir = desc ? -1 : 1;
  keyed.sort((a, b) => (a.v < b.v ? -dir : a.v > b.v ? dir : a.i - b.i));
  for (let i = 0; i < keyed.length; i++) rows[i] = (keyed[i] as { r: FleetRow }).r;
  return rows;
}

/**
 * `next` unless it holds the same entries as `prev`, then `prev`: a computed that returns the
 * value it had does not re-render its readers (a host's status changing every cycle leaves its
 * name, and so every visible row of the grid, alone).
 */
export function sameOr<K, V>(prev: ReadonlyMap<K, V> | undefined, next: ReadonlyMap<K, V>): ReadonlyMap<K, V> {
  if (!prev || prev.size !== next.size) return next;
  for (const [k, v] of next) if (!prev.has(k) || !Object.is(prev.get(k), v)) return next;
  return prev;
}
