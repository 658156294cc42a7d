// Scripted incidents: what goes wrong in the simulated fleet, and when (seconds after the start
// on the simulator's clock). Each one switches a VM or host into trouble, and back out when
// its window ends; `everySec` repeats it so a long-running demo stays eventful.
import type { SimHost } from './model';
import { ST } from './model';

export type IncidentKind =
  | 'cpu-pegged'
  | 'mem-leak'
  | 'busy-nic'
  | 'vm-steal'
  | 'vm-ioerror'
  | 'vm-crash'
  | 'libvirtd-down'
  | 'host-unreachable';

export interface Incident {
  kind: IncidentKind;
  /** Host index in the fleet. */
  host: number;
  /** VM index on that host (VM incidents). */
  vm?: number;
  /** Starts this many seconds after the simulator started. */
  atSec: number;
  /** Lasts this long; absent: until the end (a crash or I/O error stays until someone acts). */
  forSec?: number;
  /** Starts again this often. */
  everySec?: number;
}

/**
 * The default script, scaled to the fleet: on the first host a VM pegged at ~97 % CPU, a VM
 * leaking memory, a busy NIC, a VM with CPU steal and a VM paused on a disk I/O error; on the
 * second a VM that crashes and libvirtd stopping for three minutes (every half hour); the last
 * host unreachable for a minute (every twenty minutes).
 */
export function defaultIncidents(hosts: number, vms: number): Incident[] {
  if (hosts < 1 || vms < 1) return [];
  const h1 = Math.min(1, hosts - 1);
  const last = hosts - 1;
  const vm = (i: number) => Math.min(i, vms - 1);
  return [
    { kind: 'cpu-pegged', host: 0, vm: vm(1), atSec: 0 },
    { kind: 'mem-leak', host: 0, vm: vm(3), atSec: 0 },
    { kind: 'busy-nic', host: 0, vm: vm(5), atSec: 0 },
    { kind: 'vm-steal', host: 0, vm: vm(7), atSec: 0 },
    { kind: 'vm-ioerror', host: 0, vm: vm(2), atSec: 40 },
    { kind: 'vm-crash', host: h1, vm: vm(4), atSec: 60 },
    { kind: 'libvirtd-down', host: h1, atSec: 120, forSec: 180, everySec: 1800 },
    { kind: 'host-unreachable', host: last, atSec: 90, forSec: 60, everySec: 1200 },
  ];
}

function activeAt(inc: Incident, sec: number): boolean {
  if (sec < inc.atSec) return false;
  if (inc.forSec === undefined) return true;
  const into = inc.everySec ? (sec - inc.atSec) % inc.everySec : sec - inc.atSec;
  return into < inc.forSec;
}

/** Applies incidents as they start and end; only transitions touch the hosts. */
export class IncidentScript {
  private readonly on: boolean[];

  constructor(
    readonly incidents: readonly Incident[],
    private readonly hosts: readonly SimHost[],
  ) {
    this.on = incidents.map(() => false);
  }

  /** Brings the incidents to `sec` after the start; returns the hosts whose reachability changed. */
  apply(sec: number, nowMs: number): SimHost[] {
    const changed: SimHost[] = [];
    this.incidents.forEach((inc, i) => {
      const want = activeAt(inc, sec);
      if (want === this.on[i]) return;
      this.on[i] = want;
      const host = this.hosts[inc.host];
      if (!host) return;
      if (inc.kind === 'host-unreachable') {
        host.unreachable = want;
        changed.push(host);
        return;
      }
      if (inc.kind === 'libvirtd-down') {
        host.libvirtdDown = want;
        return;
      }
      const vm = host.vms[inc.vm ?? 0];
      if (!vm) return;
      switch (inc.kind) {
        case 'cpu-pegged':
          vm.profile.pegged = want;
          break;
        case 'vm-steal':
          vm.profile.steal = want;
          break;
        case 'busy-nic':
          vm.profile.busyNic = want;
          break;
        case 'mem-leak':
          vm.profile.leak = want;
          if (want) vm.bootMs = nowMs - 3 * 3_600_000; // already three hours into its leak
          break;
        case 'vm-ioerror':
          if (want && vm.state === ST.running) {
            vm.state = ST.paused;
            vm.reason = 5; // VIR_DOMAIN_PAUSED_IOERROR
          }
          break;
        case 'vm-crash':
          if (want && vm.state === ST.running) {
            vm.state = ST.crashed;
            vm.reason = 1; // VIR_DOMAIN_CRASHED_PANICKED
          }
          break;
      }
    });
    return changed;
  }
}
