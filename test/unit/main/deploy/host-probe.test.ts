// The host probe: one constant script with the values as positional arguments, and a parser of
// its output (virsh 9's text and XML) that never throws.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { capacityOf, parseProbe, probeArgv } from '../../../../src/main/deploy/host-probe';
import { toShellCommand } from '../../../../src/main/ssh/shell-quote';

const OUTPUT = `@@VD nodeinfo
CPU model:           x86_64
CPU(s):              2
Memory size:         14379220 KiB

@@VD meminfo
MemTotal:       24684092 kB
MemAvailable:   22642416 kB
@@VD domains
lab-vm01
a b'c"$(x)

@@VD vcpus
Domain: 'lab-vm01'
  vcpu.current=1
  vcpu.maximum=2
Domain: 'a b'c"$(x)'
  vcpu.current=2

@@VD tools
genisoimage
xorriso
@@VD kvm
no
@@VD poolinfo
@@VDPOOL images
Name:           images
UUID:           0b4c5b3a-1f7e-4b8a-9d7e-0c6f0e7d1a2b
State:          running
Persistent:     no
Autostart:      no
Capacity:       270553174016
Allocation:     26612862976
Available:      243940311040

@@VDPOOL gone
error: failed to get pool 'gone'
error: Storage pool not found: no storage pool with matching name 'gone'
@@VD poolxml
<pool type='dir'>
  <name>images</name>
  <target>
    <path>/var/lib/images</path>
  </target>
</pool>

@@VD poolxml
error: failed to get pool 'gone'
@@VD vol images
<volume type='file'>
  <name>a b "c" &amp;#38; 测试.qcow2</name>
  <key>/var/lib/images/a b "c" &amp;#38; 测试.qcow2</key>
  <capacity unit='bytes'>1048576</capacity>
  <allocation unit='bytes'>200704</allocation>
  <target>
    <path>/var/lib/images/a b "c" &amp;#38; 测试.qcow2</path>
    <format type='qcow2'/>
  </target>
</volume>

@@VD net
Name:           default
UUID:           5b1c…
Active:         yes
Bridge:         virbr0
@@VD bridges
virbr0
br-lan
`;

describe('parseProbe', () => {
  it('reads capacity, pools, volumes, networks, bridges, the seed tool and kvm', () => {
    const p = parseProbe(OUTPUT);
    expect(p.capacity).toEqual({
      cpus: 2,
      vcpusCommitted: 3,
      memoryBytes: 14379220 * 1024,
      freeMemoryBytes: 22642416 * 1024,
      domainNames: ['lab-vm01', `a b'c"$(x)`],
    });
    expect(p.pools).toEqual([
      {
        name: 'images',
        state: 'running',
        type: 'dir',
        path: '/var/lib/images',
        capacityBytes: 270553174016,
        allocationBytes: 26612862976,
        availableBytes: 243940311040,
      },
    ]);
    expect(p.volumes).toEqual([
      {
        pool: 'images',
        name: 'a b "c" &#38; 测试.qcow2',
        path: '/var/lib/images/a b "c" &#38; 测试.qcow2',
        format: 'qcow2',
        capacityBytes: 1048576,
        allocationBytes: 200704,
      },
    ]);
    expect(p.networks).toEqual([{ name: 'default', active: true, bridge: 'virbr0' }]);
    expect(p.bridges).toEqual(['virbr0', 'br-lan']);
    expect(p.seedTool).toBe('genisoimage');
    expect(p.kvm).toBe(false);
    expect(p.warnings.join('\n')).toMatch(/gone/);
    expect(capacityOf(p, 'images').pool).toEqual({
      name: 'images',
      state: 'running',
      capacityBytes: 270553174016,
      availableBytes: 243940311040,
    });
    expect(capacityOf(p, 'gone').pool).toBeNull();
  });

  it('never throws on garbage, and says the host did not describe itself', () => {
    const p = parseProbe('bash: virsh: command not found\n@@VD nodeinfo\nerror: failed to connect\n@@VD vol x\n<oops');
    expect(p.capacity.cpus).toBe(0);
    expect(p.volumes).toEqual([]);
    expect(p.warnings[0]).toBe('nodeinfo: error: failed to connect');
  });
});

describe('probeArgv', () => {
  it('passes the URI and names as positional arguments of a constant script, run by a real sh', () => {
    const hostile = `a b'c"$(touch /nonexistent/vd-pwned);\`false\``;
    const argv = probeArgv({
      uri: 'test:///default',
      mode: 'capacity',
      pool: hostile,
      base: { pool: hostile, volume: hostile },
    });
    expect(argv.slice(3)).toEqual(['sh', 'test:///default', 'capacity', hostile, hostile, hostile]);
    const again = probeArgv({ uri: 'qemu:///system', mode: 'all' });
    expect(again[2]).toBe(argv[2]);
    // the command as quoted for the host, run by a real sh with a fake virsh: the name arrives whole
    const bin = mkdtempSync(join(tmpdir(), 'vd-probe-'));
    writeFileSync(join(bin, 'virsh'), '#!/bin/sh\nprintf \'<%s>\' "$@"; echo\n', { mode: 0o755 });
    const out = execFileSync('sh', ['-c', toShellCommand(argv)], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` },
    });
    expect(out).toContain(`<-c><test:///default><pool-info><--bytes><--pool><${hostile}>`);
    expect(out).toContain(`<vol-dumpxml><--pool><${hostile}><--vol><${hostile}>`);
    rmSync(bin, { recursive: true, force: true });
  });
});
