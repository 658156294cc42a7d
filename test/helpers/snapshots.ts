// Synthetic host snapshots for store tests and benchmarks: deterministic figures per VM and time.
import type { HostSnapshot, VmFigures } from '../../src/shared/model/metrics';

export function vmFigures(i: number, t: number, over: Partial<VmFigures> = {}): VmFigures {
  const wave = (k: number) => Math.abs(Math.sin((t / 600 + i * 0.37) * k));
  return {
    uuid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    name: `vm-${i}`,
    state: 'running',
    reason: 'booted',
    autostart: false,
    vcpus: 2,
    maxMemKiB: 2097152,
    memKiB: 2097152,
    cpuPct: Math.round(wave(1) * 10000) / 100,
    cpuHostPct: null,
    stealPct: Math.round(wave(3) * 300) / 100,
    memUsedKiB: null,
    memPct: 40 + (i % 50),
    memSource: 'rss',
    netRxBps: Math.round(wave(2) * 1e6),
    netTxBps: Math.round(wave(5) * 2e5),
    netRxPps: null,
    netTxPps: null,
    diskReadBps: Math.round(wave(7) * 5e5),
    diskWriteBps: Math.round(wave(11) * 1e6),
    diskReadIops: null,
    diskWriteIops: null,
    swapInKiBps: null,
    swapOutKiBps: null,
    nics: [],
    disks: [],
    ...over,
  };
}

export function snapshot(hostId: string, tsMs: number, vmCount: number, firstVm = 0): HostSnapshot {
  const t = tsMs / 1000;
  return {
    hostId,
    ts: tsMs,
    cycleMs: 50,
    warnings: [],
    host: {
      cpuPct: 20 + (t % 60),
      stealPct: 0,
      cpus: 32,
      load1: 3.5,
      load5: 3,
      load15: 2.5,
      memTotalKiB: 268435456,
      memUsedKiB: 134217728,
      memAvailableKiB: 134217728,
      memPct: 50,
      uptimeSec: t,
      nics: [],
      vmCounts: { running: vmCount },
      pools: [],
      libvirtVersion: '9.0.0',
      cpuModel: 'x86_64',
    },
    vms: Array.from({ length: vmCount }, (_, k) => vmFigures(firstVm + k, t)),
  };
}
