// The VM grid's columns (width, alignment) and each cell's text, pure: what a row shows of a VM.
import { formatPct, formatRate } from '../../shared/format/units';
import type { VmFigures } from '../../shared/model/metrics';
import type { SortKey } from './fleet-rows';

export interface VmColumn {
  key: SortKey;
  /** A CSS grid track: fixed or with a fixed minimum, so a cell's text never moves the columns. */
  width: string;
  align?: 'right';
}

export const VM_COLUMNS: readonly VmColumn[] = [
  { key: 'name', width: 'minmax(140px, 2fr)' },
  { key: 'host', width: 'minmax(90px, 1fr)' },
  { key: 'state', width: '100px' },
  { key: 'vcpus', width: '64px', align: 'right' },
  { key: 'cpu', width: '70px', align: 'right' },
  { key: 'steal', width: '64px', align: 'right' },
  { key: 'mem', width: '70px', align: 'right' },
  { key: 'netRx', width: '84px', align: 'right' },
  { key: 'netTx', width: '84px', align: 'right' },
  { key: 'diskRead', width: '84px', align: 'right' },
  { key: 'diskWrite', width: '84px', align: 'right' },
  { key: 'alerts', width: '56px', align: 'right' },
];

/** The text of a figure cell (name and state are drawn as a link and a tag, not as text). */
export function cellText(vm: VmFigures, key: SortKey, hostName: string, alerts: number): string {
  switch (key) {
    case 'host':
      return hostName;
    case 'vcpus':
      return String(vm.vcpus ?? '–');
    case 'cpu':
      return formatPct(vm.cpuPct);
    case 'steal':
      return formatPct(vm.stealPct);
    case 'mem':
      return formatPct(vm.memPct);
    case 'netRx':
      return formatRate(vm.netRxBps);
    case 'netTx':
      return formatRate(vm.netTxBps);
    case 'diskRead':
      return formatRate(vm.diskReadBps);
    case 'diskWrite':
      return formatRate(vm.diskWriteBps);
    case 'alerts':
      return alerts ? String(alerts) : '';
    default:
      return '';
  }
}
