// The exposition's names, labels and types: libvirt-exporter names over the collector's raw
// counters (from a real `virsh domstats --raw` capture), VirtDeck's own series, nothing left
// behind by a VM that vanished.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExposedHost } from '../../../../src/main/collector/fleet';
import { countersOf, vmFigures } from '../../../../src/main/collector/vm-figures';
import { parseDomStats } from '../../../../src/main/libvirt/parse-domstats';
import { renderMetrics } from '../../../../src/main/prometheus/exposition';
import type { HostView } from '../../../../src/shared/model/host';
import { snapshot } from '../../../helpers/snapshots';

const UUID = '11111111-2222-4333-8444-555555555555';
const fixture = (name: string) => readFileSync(join(__dirname, '../../../fixtures/virsh', name), 'utf8');

function exposed(withVm: boolean, status: HostView['status'] = 'ok'): ExposedHost {
  const stats = parseDomStats(fixture('qemu_domstats_raw_1dom_t1.txt')).domains[0];
  if (!stats) throw new Error('fixture has no domain');
  const t = { stats, t: 100 };
  const snap = snapshot('h1', 1_700_000_000_000, 0);
  snap.vms = withVm ? [vmFigures(UUID, null, t, 4)] : [];
  snap.host = snap.host
    ? {
        ...snap.host,
        pools: [
          {
            name: 'default',
            state: 'running',
            capacityBytes: 100,
            allocationBytes: 91,
            availableBytes: 9,
            usedPct: 91,
          },
        ],
      }
    : null;
  const view = {
    config: {
      id: 'h1',
      name: 'hv "01"',
      address: 'x',
      uri: 'qemu:///system',
      intervalSec: 10,
      timeoutSec: 5,
      enabled: true,
      simulated: false,
    },
    status,
    reason: null,
    resolved: null,
    lastSeen: 1_700_000_000_000,
    pendingHostKey: null,
    warnings: [],
    vms: [],
  } as HostView;
  return {
    view,
    snapshot: snap,
    raw: {
      // what the collector keeps of a sample between cycles (countersOf), as /metrics reads it
      vms: new Map(withVm ? [[UUID, { stats: countersOf(stats), t: 100 }]] : []),
      host: {
        uptimeSec: 100,
        cpu: {
          user: 1000,
          nice: 0,
          system: 500,
          idle: 9000,
          iowait: 10,
          irq: 0,
          softirq: 5,
          steal: 0,
          guest: 700,
          guestNice: 0,
        },
        nets: [
          { name: 'eth0', rxBytes: 10, rxPkts: 1, rxErrs: 0, rxDrop: 0, txBytes: 20, txPkts: 2, txErrs: 0, txDrop: 0 },
        ],
      },
    },
  };
}

describe('the /metrics exposition', () => {
  it('names and labels VM series like the libvirt exporters, counters as raw cumulative values', async () => {
    const { body, contentType } = await renderMetrics([exposed(true)]);
    expect(contentType).toContain('text/plain; version=0.0.4');
    const vm = `host="hv \\"01\\"",domain="tiny1",uuid="${UUID}"`;
    expect(body).toContain('# TYPE libvirt_domain_info_cpu_time_seconds_total counter');
    expect(body).toContain(`libvirt_domain_info_cpu_time_seconds_total{${vm}} 0.367436`);
    expect(body).toContain(`libvirt_domain_info_virtual_cpus{${vm}} 1`);
    expect(body).toContain(`libvirt_domain_info_maximum_memory_bytes{${vm}} ${49152 * 1024}`);
    expect(body).toContain(`libvirt_domain_info_memory_usage_bytes{${vm}} ${45992 * 1024}`);
    expect(body).toContain(`libvirt_domain_info_vstate{${vm}} 1`);
    expect(body).toContain(`libvirt_domain_vcpu_delay_seconds_total{${vm}} 0.027919993`);
    expect(body).toContain('# TYPE libvirt_domain_block_stats_read_bytes_total counter');
    expect(body).toContain(`libvirt_domain_block_stats_read_bytes_total{${vm},target_device="vda"} 512`);
    expect(body).toContain(`libvirt_domain_block_stats_read_requests_total{${vm},target_device="vda"} 1`);
    expect(body).toContain(`virtdeck_domain_state{${vm},state="running",reason="booted"} 1`);
  });

  it("exposes the host's figures, libvirt_up, the cycle time and one status series per status", async () => {
    const { body } = await renderMetrics([exposed(true)]);
    const h = 'host="hv \\"01\\""';
    expect(body).toContain(`libvirt_up{${h}} 1`);
    expect(body).toContain(`virtdeck_host_status{${h},status="ok"} 1`);
    expect(body).toContain(`virtdeck_host_status{${h},status="unreachable"} 0`);
    expect(body).toContain(`virtdeck_collector_cycle_seconds{${h}} 0.05`);
    expect(body).toContain(`virtdeck_host_cpu_seconds_total{${h},mode="idle"} 90`);
    expect(body).not.toContain('mode="guest'); // counted in user already
    expect(body).toContain(`virtdeck_host_network_receive_bytes_total{${h},device="eth0"} 10`);
    expect(body).toContain(`libvirt_pool_info_allocation_bytes{${h},pool="default"} 91`);
    expect(body).toContain(`virtdeck_host_last_seen_timestamp_seconds{${h}} 1700000000`);
    const down = (await renderMetrics([exposed(true, 'unreachable')])).body;
    expect(down).toContain(`libvirt_up{${h}} 0`);
    expect(down).toContain(`virtdeck_host_status{${h},status="unreachable"} 1`);
    // no stale figures from its last answer
    expect(down).not.toMatch(/^libvirt_domain_info_cpu_time_seconds_total\{/m);
    expect(down).not.toMatch(/^virtdeck_host_cpu_seconds_total\{/m);
  });

  it('leaves nothing behind when a VM vanishes (a registry per scrape)', async () => {
    await renderMetrics([exposed(true)]);
    const { body } = await renderMetrics([exposed(false)]);
    expect(body).not.toContain('tiny1');
    expect(body).not.toMatch(/^libvirt_domain_info_cpu_time_seconds_total\{/m);
  });

  it('never exposes an unknown figure as 0', async () => {
    const e = exposed(true);
    const vm = e.snapshot?.vms[0];
    if (vm) vm.memUsedKiB = null;
    const { body } = await renderMetrics([e]);
    expect(body).not.toMatch(/^libvirt_domain_info_memory_usage_bytes\{/m);
  });
});
