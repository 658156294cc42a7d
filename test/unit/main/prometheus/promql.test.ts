// VirtDeck's figures as PromQL (names, units, selectors) and the range query's step: never more
// points than asked for, on a grid aligned to the step.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matrixToSeries } from '../../../../src/main/prometheus/history-source';
import {
  PROMETHEUS_MAX_POINTS,
  hostSelector,
  metricExpr,
  promString,
  rangePlan,
  vmSelector,
} from '../../../../src/main/prometheus/promql';
import { HOST_METRICS, VM_METRICS } from '../../../../src/shared/model/history';
import { RULE_METRICS } from '../../../../src/shared/model/warn';

const UUID = '11111111-2222-4333-8444-555555555555';

describe('PromQL of VirtDeck figures', () => {
  it('maps a VM CPU percentage to the rate of the CPU-time counter per vCPU', () => {
    expect(metricExpr('vm', 'cpu_pct', vmSelector(UUID), '60s')).toBe(
      `100 * rate(libvirt_domain_info_cpu_time_seconds_total{uuid="${UUID}"}[60s]) / libvirt_domain_info_virtual_cpus{uuid="${UUID}"}`,
    );
  });

  it('sums device counters per VM in bytes per second', () => {
    expect(metricExpr('vm', 'net_rx_bps', vmSelector(UUID), '1m')).toBe(
      `sum by (host, domain, uuid) (rate(libvirt_domain_interface_stats_receive_bytes_total{uuid="${UUID}"}[1m]))`,
    );
    expect(metricExpr('vm', 'disk_bps', [], '1m')).toBe(
      'sum by (host, domain, uuid) (rate(libvirt_domain_block_stats_read_bytes_total[1m])) + ' +
        'sum by (host, domain, uuid) (rate(libvirt_domain_block_stats_write_bytes_total[1m]))',
    );
  });

  it("reads host figures by the host's name label, in VirtDeck's units", () => {
    expect(metricExpr('host', 'mem_used_kib', hostSelector('hv1'))).toBe(
      'virtdeck_host_memory_used_bytes{host="hv1"} / 1024',
    );
    expect(metricExpr('host', 'cpu_pct', hostSelector('hv1'), '1m')).toBe(
      '100 * (1 - sum by (host) (rate(virtdeck_host_cpu_seconds_total{host="hv1",mode=~"idle|iowait"}[1m])) / sum by (host) (rate(virtdeck_host_cpu_seconds_total{host="hv1"}[1m])))',
    );
  });

  it("turns libvirt's state code into VirtDeck's state index", () => {
    expect(metricExpr('vm', 'state', vmSelector(UUID))).toBe(`(libvirt_domain_info_vstate{uuid="${UUID}"} + 7) % 8`);
  });

  it('has an expression for every history metric and every rule metric', () => {
    for (const m of VM_METRICS) expect(metricExpr('vm', m, []), m).not.toBeNull();
    for (const m of HOST_METRICS) expect(metricExpr('host', m, []), m).not.toBeNull();
    for (const [kind, metrics] of Object.entries(RULE_METRICS)) {
      for (const m of metrics) expect(metricExpr(kind as 'vm', m, []), `${kind} ${m}`).not.toBeNull();
    }
    expect(metricExpr('vm', 'no_such', [])).toBeNull();
  });

  it('quotes label values safely', () => {
    expect(promString('a"b\\c\nd')).toBe('"a\\"b\\\\c\\nd"');
    expect(hostSelector('x"} or vector(1) #')).toEqual(['host="x\\"} or vector(1) #"']);
  });
});

describe('the range query plan', () => {
  it('picks the step so a 15-minute range at 1,500 points is 1 s and a month at 1,500 is 30 min', () => {
    const to = 1_700_000_000_000;
    expect(rangePlan(to - 900_000, to, 1500)).toMatchObject({ step: 1, window: '60s' });
    const month = rangePlan(to - 30 * 86_400_000, to, 1500);
    expect(month.step).toBe(Math.ceil((30 * 86400) / 1499));
    expect(month.window).toBe(`${month.step}s`);
  });

  it('asks one point for one point', () => {
    const p = rangePlan(0, 1000, 1);
    expect(Math.floor((p.end - p.start) / p.step) + 1).toBe(1);
  });

  it('never returns more points than asked (nor than Prometheus allows), on a grid aligned to the step', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4e12 }),
        fc.integer({ min: 1000, max: 400 * 86_400_000 }),
        fc.integer({ min: 1, max: 100_000 }),
        (from, span, maxPoints) => {
          const p = rangePlan(from, from + span, maxPoints);
          const points = Math.floor((p.end - p.start) / p.step) + 1;
          expect(points).toBeLessThanOrEqual(Math.min(maxPoints, PROMETHEUS_MAX_POINTS));
          expect(p.start % p.step).toBe(0);
          expect(p.start).toBeGreaterThanOrEqual(Math.floor(from / 1000));
          expect(p.start - Math.floor(from / 1000)).toBeLessThan(p.step);
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('puts a matrix on the grid, gaps as null, several series averaged', () => {
    const plan = { start: 100, end: 130, step: 10, window: '60s' };
    const r = matrixToSeries(
      [
        {
          metric: { host: 'a' },
          values: [
            [100, '1'],
            [120, '3'],
          ],
        },
        { metric: { host: 'b' }, values: [[120, '5']] },
      ],
      plan,
    );
    expect(r).toMatchObject({
      source: 'prometheus',
      stepSec: 10,
      tier: 'raw',
      ts: [100_000, 110_000, 120_000, 130_000],
    });
    expect(r.avg).toEqual([1, null, 4, null]);
    expect(r.min).toEqual([1, null, 3, null]);
    expect(r.max).toEqual([1, null, 5, null]);
  });
});
