// Which history series each detail page charts (VM: CPU, memory, net, disk; host: CPU, memory,
// load, net). CPU and network read the same for both.
import type { ChartSpec } from './HistoryCharts.vue';

const cpu = (title: string): ChartSpec => ({
  key: 'cpu',
  title,
  kind: 'pct',
  lines: [
    { metric: 'cpu_pct', label: 'CPU' },
    { metric: 'steal_pct', label: 'steal' },
  ],
});
const memory = (title: string): ChartSpec => ({
  key: 'mem',
  title,
  kind: 'pct',
  lines: [{ metric: 'mem_pct', label: 'memory' }],
});
const net: ChartSpec = {
  key: 'net',
  title: 'vms.net',
  kind: 'bytesPerSec',
  lines: [
    { metric: 'net_rx_bps', label: 'rx' },
    { metric: 'net_tx_bps', label: 'tx' },
  ],
};

export const VM_CHARTS: readonly ChartSpec[] = [
  cpu('vms.cpu'),
  memory('vms.mem'),
  net,
  {
    key: 'disk',
    title: 'vms.disk',
    kind: 'bytesPerSec',
    lines: [
      { metric: 'disk_read_bps', label: 'read' },
      { metric: 'disk_write_bps', label: 'write' },
    ],
  },
];

export const HOST_CHARTS: readonly ChartSpec[] = [
  cpu('hostFig.cpu'),
  memory('hostFig.mem'),
  { key: 'load', title: 'hostFig.load', kind: 'count', lines: [{ metric: 'load1', label: 'load 1 min' }] },
  net,
];
