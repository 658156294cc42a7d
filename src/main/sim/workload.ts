// How the simulated counters grow: per-second rates that follow a daily curve, with bursts, a
// pegged VM, a leaking VM and a busy NIC. Rates are pure functions of (seed, VM, second), and the
// counters integrate them bucket by bucket, so a host reads the same however often it is polled.
import type { SimHost, SimVm } from './model';
import { ST } from './model';
import { unit } from './rng';

const DAY_SEC = 86_400;
/** Leaking VMs gain this share of their memory per hour since boot. */
const LEAK_PER_HOUR = 0.12;

/** 0.25 at night … 1 at the afternoon peak, shifted per host (time zones, workloads). */
export function diurnal(tSec: number, phase: number): number {
  const x = ((tSec / DAY_SEC + phase) % 1) * 2 * Math.PI;
  return 0.625 - 0.375 * Math.cos(x - Math.PI / 6);
}

export interface VmRates {
  /** Busy fraction of the VM's vCPUs (0…1). */
  cpu: number;
  /** Steal: fraction of wall time each vCPU waited to run. */
  delay: number;
  rxBps: number;
  txBps: number;
  rdBps: number;
  wrBps: number;
}

const IDLE: VmRates = { cpu: 0, delay: 0, rxBps: 0, txBps: 0, rdBps: 0, wrBps: 0 };

/** A running VM's rates during second `sec` (epoch seconds). */
export function vmRates(host: SimHost, vm: SimVm, sec: number): VmRates {
  if (vm.state !== ST.running) return IDLE;
  const p = vm.profile;
  const day = diurnal(sec, unit(host.seed, host.index, 'phase') * 0.25);
  const n = unit(host.seed, vm.uuid, sec) - 0.5;
  // 20-second bursts, about one window in thirty
  const burst = unit(host.seed, vm.uuid, 'burst', Math.floor(sec / 20)) < 0.035 ? 0.45 : 0;
  let cpu = p.cpu * (0.35 + 0.65 * day) * (1 + 0.25 * n) + burst;
  if (p.pegged) cpu = 0.965 + 0.03 * (n + 0.5);
  cpu = Math.min(1, Math.max(0.005, cpu));
  const delay = p.steal ? 0.22 + 0.08 * (n + 0.5) : cpu * 0.015;
  const netBase = p.busyNic ? 105_000_000 : p.net * day * (1 + burst);
  const rxBps = netBase * (1 + 0.3 * n);
  const txBps = (p.busyNic ? 0.35 : 0.4) * netBase * (1 - 0.2 * n);
  const disk = p.disk * (0.3 + 0.7 * day) * (1 + 0.5 * n) * (1 + 2 * burst);
  return { cpu, delay, rxBps, txBps, rdBps: disk * 0.6, wrBps: disk * 0.4 };
}

/** The guest's memory use in KiB at `nowMs` (grows for a leaking VM). */
export function vmMemUsedKiB(vm: SimVm, nowMs: number): number {
  let frac = vm.profile.mem + 0.02 * Math.sin(nowMs / 600_000 + vm.maxMemKiB);
  if (vm.profile.leak) frac = vm.profile.mem + (LEAK_PER_HOUR * Math.max(0, nowMs - vm.bootMs)) / 3_600_000;
  return Math.round(vm.maxMemKiB * Math.min(0.97, Math.max(0.05, frac)));
}

function addVm(vm: SimVm, r: VmRates, dt: number): void {
  const c = vm.c;
  const ns = r.cpu * vm.vcpus * 1e9 * dt;
  c.cpuNs += ns;
  c.userNs += ns * 0.82;
  c.sysNs += ns * 0.18;
  for (let i = 0; i < vm.vcpus; i++) {
    c.vcpuNs[i] = (c.vcpuNs[i] ?? 0) + (ns * 0.9) / vm.vcpus;
    c.delayNs[i] = (c.delayNs[i] ?? 0) + r.delay * 1e9 * dt;
  }
  c.rxB += r.rxBps * dt;
  c.rxP += (r.rxBps * dt) / 900;
  c.txB += r.txBps * dt;
  c.txP += (r.txBps * dt) / 600;
  c.rdB += r.rdBps * dt;
  c.rdR += (r.rdBps * dt) / 32768;
  c.wrB += r.wrBps * dt;
  c.wrR += (r.wrBps * dt) / 16384;
  c.flR += (r.wrBps * dt) / 262144;
  c.minFault += 300 * r.cpu * dt;
}

/** Adds `dt` seconds at the rates of second `sec` to the host and its VMs. */
function step(host: SimHost, sec: number, dt: number): void {
  let busyCpus = 0;
  let rx = 0;
  let tx = 0;
  for (const vm of host.vms) {
    const r = vmRates(host, vm, sec);
    if (r === IDLE) continue;
    addVm(vm, r, dt);
    busyCpus += r.cpu * vm.vcpus;
    rx += r.rxBps;
    tx += r.txBps;
  }
  const hz = 100 * dt;
  const capacity = host.cpus;
  const guest = Math.min(busyCpus, capacity * 0.97);
  const overhead = capacity * 0.012 + guest * 0.06;
  const j = host.jiffies;
  j.user += (guest + overhead * 0.5) * hz; // guest time is counted in user, as Linux does
  j.system += overhead * 0.4 * hz;
  j.softirq += overhead * 0.1 * hz;
  j.iowait += capacity * 0.002 * hz;
  const idle = Math.max(0, capacity - guest - overhead - capacity * 0.002);
  j.idle += idle * hz;
  host.idleSec += idle * dt;
  host.ctxt += (20_000 + busyCpus * 3000) * dt;
  host.processes += 3 * dt;
  for (const nic of host.nics) {
    const [nrx, ntx] = nic.name === 'eno1' ? [tx + 50_000, rx + 30_000] : nic.name === 'lo' ? [9000, 9000] : [0, 0];
    nic.rxB += nrx * dt;
    nic.rxP += (nrx * dt) / 800;
    nic.txB += ntx * dt;
    nic.txP += (ntx * dt) / 800;
  }
  for (const pool of host.pools) pool.allocation += pool.name === 'default' ? 4096 * dt : 0;
}

/** Finishes graceful shutdowns that are due by `nowMs`. */
function settle(host: SimHost, nowMs: number): void {
  for (const vm of host.vms) {
    if (vm.shutdownAtMs !== null && vm.shutdownAtMs <= nowMs) {
      vm.shutdownAtMs = null;
      vm.state = ST.shutoff;
      vm.reason = 1; // VIR_DOMAIN_SHUTOFF_SHUTDOWN
      vm.domId = null;
    }
  }
  host.vms = host.vms.filter((v) => v.persistent || v.state !== ST.shutoff);
}

/**
 * Advances the host's counters to `nowMs`, integrating the per-second rates exactly over each
 * second touched. Gaps of more than six hours go in one-minute buckets (a fake clock jumping a
 * day must not cost 86,400 steps per VM).
 */
export function advanceHost(host: SimHost, nowMs: number): void {
  if (nowMs <= host.lastMs) return;
  let t = host.lastMs / 1000;
  const end = nowMs / 1000;
  const bucket = end - t > 6 * 3600 ? 60 : 1;
  while (t < end) {
    const next = Math.min(end, (Math.floor(t / bucket) + 1) * bucket);
    step(host, Math.floor(t), next - t);
    t = next;
  }
  host.lastMs = nowMs;
  settle(host, nowMs);
}
