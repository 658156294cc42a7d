// The series a VM's detail page charts, in the order it asks for them (the renderer's VM_CHARTS
// draws them, a test keeps the two equal): the core warms that query up (main/history-warmup.ts).
export const VM_DETAIL_METRICS = [
  'cpu_pct',
  'steal_pct',
  'mem_pct',
  'net_rx_bps',
  'net_tx_bps',
  'disk_read_bps',
  'disk_write_bps',
] as const;
