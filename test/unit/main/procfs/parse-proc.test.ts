// Golden tests of the /proc parsers on files captured on the lab host (directly and over SSH),
// older-kernel forms, and robustness: garbage gives nulls and warnings, never exceptions.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseLoadavg,
  parseMeminfo,
  parseNetDev,
  parseProcStat,
  parseUptime,
} from '../../../../src/main/procfs/parse-proc';

const proc = (name: string) => readFileSync(join(__dirname, '../../../fixtures/proc', name), 'utf8');
const virsh = (name: string) => readFileSync(join(__dirname, '../../../fixtures/virsh', name), 'utf8');

/** ssh_host_read.txt is `cat /proc/stat /proc/meminfo /proc/loadavg /proc/net/dev; nproc` over SSH. */
function hostReadSections() {
  const text = virsh('ssh_host_read.txt');
  const mem = text.indexOf('MemTotal:');
  const net = text.indexOf('Inter-|');
  const load = text.lastIndexOf('\n', net - 2) + 1;
  return {
    stat: text.slice(0, mem),
    meminfo: text.slice(mem, load),
    loadavg: text.slice(load, net),
    netdev: text.slice(net, text.lastIndexOf('\n', text.length - 2) + 1),
  };
}

describe('parseProcStat', () => {
  it('reads the lab host', () => {
    expect(parseProcStat(proc('lab-host_stat.txt'))).toEqual({
      value: {
        cpu: {
          user: 45358,
          nice: 315,
          system: 12421,
          idle: 155776,
          iowait: 1297,
          irq: 0,
          softirq: 333,
          steal: 496,
          guest: 0,
          guestNice: 0,
        },
        cpuCount: 2,
        btime: 1795311812,
        ctxt: 3339236,
        procsRunning: 1,
      },
      warnings: [],
    });
  });

  it('reads /proc/stat read over SSH', () => {
    const { value, warnings } = parseProcStat(hostReadSections().stat);
    expect(warnings).toEqual([]);
    expect(value).toMatchObject({ cpuCount: 2, btime: 1795310043, ctxt: 739614, procsRunning: 3 });
    expect(value.cpu).toMatchObject({ user: 20546, system: 7238, idle: 55135, steal: 41 });
  });

  it('leaves the columns an older kernel lacks null (no steal, guest, guest_nice)', () => {
    const { value, warnings } = parseProcStat('cpu  20546 0 7238 55135 2533 0 173\ncpu0 1 2 3 4 5 6 7\n');
    expect(warnings).toEqual([]);
    expect(value.cpu).toMatchObject({ softirq: 173, steal: null, guest: null, guestNice: null });
    expect(value).toMatchObject({ cpuCount: 1, btime: null, ctxt: null, procsRunning: null });
  });

  it('warns about malformed lines it needs', () => {
    const { value, warnings } = parseProcStat('cpu  1 x 3\nbtime soon\nctxt 5\n');
    expect(value).toMatchObject({ cpu: { user: 1, nice: null, system: 3 }, btime: null, ctxt: 5, cpuCount: null });
    expect(warnings.map((w) => /line (\d+)/.exec(w)?.[1])).toEqual(['1', '2']);
  });
});

describe('parseMeminfo', () => {
  it('reads the lab host, and /proc/meminfo read over SSH', () => {
    expect(parseMeminfo(proc('lab-host_meminfo.txt'))).toEqual({
      value: {
        memTotalKiB: 24684092,
        memFreeKiB: 24069620,
        memAvailableKiB: 24192708,
        buffersKiB: 76696,
        cachedKiB: 89044,
        swapTotalKiB: 0,
        swapFreeKiB: 0,
      },
      warnings: [],
    });
    const { value, warnings } = parseMeminfo(hostReadSections().meminfo);
    expect(warnings).toEqual([]);
    expect(value).toMatchObject({ memTotalKiB: 24684084, memAvailableKiB: 23956100, cachedKiB: 941240 });
  });

  it('leaves MemAvailable null on kernels before 3.14, and warns about odd values', () => {
    const old = parseMeminfo('MemTotal:  1000 kB\nMemFree:  500 kB\nCached: lots\nBuffers: 12 MB\n');
    expect(old.value).toMatchObject({ memTotalKiB: 1000, memAvailableKiB: null, cachedKiB: null, buffersKiB: null });
    expect(old.warnings.map((w) => /line (\d+)/.exec(w)?.[1])).toEqual(['3', '4']);
  });
});

describe('parseLoadavg', () => {
  it('reads the lab host, and over SSH', () => {
    expect(parseLoadavg(proc('lab-host_loadavg.txt'))).toEqual({
      value: { load1: 0.33, load5: 0.93, load15: 0.71, running: 1, total: 114 },
      warnings: [],
    });
    expect(parseLoadavg(hostReadSections().loadavg).value).toEqual({
      load1: 1.25,
      load5: 0.87,
      load15: 0.38,
      running: 3,
      total: 146,
    });
  });

  it('gives nulls and a warning for garbage', () => {
    expect(parseLoadavg('cat: /proc/loadavg: No such file or directory\n')).toMatchObject({
      value: { load1: null, running: null },
      warnings: [expect.stringContaining('/proc/loadavg line 1: not understood')],
    });
    expect(parseLoadavg('').value.total).toBeNull();
  });
});

describe('parseNetDev', () => {
  it('reads the lab host, interface by interface', () => {
    const { value, warnings } = parseNetDev(proc('lab-host_net_dev.txt'));
    expect(warnings).toEqual([]);
    expect(value.map((i) => i.name)).toEqual(['lo', 'ifb0', 'ifb1', 'eth0', 'labtap01', 'labtap02', 'labtap03']);
    expect(value[3]).toEqual({
      name: 'eth0',
      rxBytes: 1175734951,
      rxPkts: 31103,
      rxErrs: 0,
      rxDrop: 0,
      txBytes: 2721618,
      txPkts: 19561,
      txErrs: 0,
      txDrop: 0,
    });
  });

  it('reads /proc/net/dev over SSH, and the older form with no space after the colon', () => {
    const ssh = parseNetDev(hostReadSections().netdev).value;
    expect(ssh.find((i) => i.name === 'labtap2')).toMatchObject({ txBytes: 90, txPkts: 1 });
    const old = parseNetDev(
      '  eth0:1175734951   31103    1    2    0     0          0         0  2721618   19561    3    4    0     0       0          0\n',
    );
    expect(old.value).toEqual([
      {
        name: 'eth0',
        rxBytes: 1175734951,
        rxPkts: 31103,
        rxErrs: 1,
        rxDrop: 2,
        txBytes: 2721618,
        txPkts: 19561,
        txErrs: 3,
        txDrop: 4,
      },
    ]);
  });

  it('warns about lines it cannot read and keeps the others', () => {
    const text = proc('lab-host_net_dev.txt').replace('  ifb0:', 'ifb0 gone');
    const { value, warnings } = parseNetDev(text);
    expect(value).toHaveLength(6);
    expect(warnings).toEqual([expect.stringMatching(/^\/proc\/net\/dev line 4: interface line not understood/)]);
  });
});

describe('parseUptime', () => {
  it('reads the lab host', () => {
    expect(parseUptime(proc('lab-host_uptime.txt'))).toEqual({
      value: { uptimeSec: 1091.25, idleSec: 1557.77 },
      warnings: [],
    });
  });

  it('gives nulls and a warning for garbage', () => {
    expect(parseUptime('up a while')).toMatchObject({ value: { uptimeSec: null, idleSec: null } });
    expect(parseUptime('up a while').warnings).toHaveLength(1);
  });
});

describe('every /proc parser', () => {
  it('never throws, whatever the text', () => {
    const parsers = [parseProcStat, parseMeminfo, parseLoadavg, parseNetDev, parseUptime];
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), (s) => {
        for (const parse of parsers) expect(Array.isArray(parse(s).warnings)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
