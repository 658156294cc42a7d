// Fleet totals for the overview, pure: hosts by status, VMs by state, and what the running VMs
// commit (vCPUs, memory) against what the hosts have.
import type { HostView } from '../../shared/model/host';
import type { HostSnapshot } from '../../shared/model/metrics';

export interface FleetTotals {
  hosts: number;
  hostsByStatus: Record<string, number>;
  vms: number;
  vmsByState: Record<string, number>;
  /** vCPUs of running VMs, and CPUs of the hosts that reported them. */
  vcpusCommitted: number;
  cpus: number;
  /** Memory of running VMs (their current allocation), and the hosts' total, KiB. */
  memCommittedKiB: number;
  memTotalKiB: number;
}

export function fleetTotals(hosts: readonly HostView[], snapshots: ReadonlyMap<string, HostSnapshot>): FleetTotals {
  const t: FleetTotals = {
    hosts: hosts.length,
    hostsByStatus: {},
    vms: 0,
    vmsByState: {},
    vcpusCommitted: 0,
    cpus: 0,
    memCommittedKiB: 0,
    memTotalKiB: 0,
  };
  for (const h of hosts) {
    t.hostsByStatus[h.status] = (t.hostsByStatus[h.status] ?? 0) + 1;
    const s = snapshots.get(h.config.id);
    t.cpus += s?.host?.cpus ?? 0;
    t.memTotalKiB += s?.host?.memTotalKiB ?? 0;
    for (const vm of s?.vms ?? []) {
      t.vms++;
      t.vmsByState[vm.state] = (t.vmsByState[vm.state] ?? 0) + 1;
      if (vm.state === 'running' || vm.state === 'idle' || vm.state === 'paused') {
        t.vcpusCommitted += vm.vcpus ?? 0;
        t.memCommittedKiB += vm.memKiB ?? vm.maxMemKiB ?? 0;
      }
    }
  }
  return t;
}
