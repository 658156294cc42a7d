// The domain XML builder: the golden shape of a small VM, hostile names escaped by the builder
// (and read back intact), devices per source and network, and VirtDeck's metadata tag.
import { describe, expect, it } from 'vitest';
import { buildDomainXml, parseInstanceTag } from '../../../../src/main/deploy/domain-xml';
import type { DomainXmlInput } from '../../../../src/main/deploy/domain-xml';
import { childText, parseXml } from '../../../../src/main/deploy/xml-read';

const UUID = '6f1e2b7c-0a4d-4c8e-9f00-1234567890ab';
// the collector tests' hostile names, plus markup and entities (xmlbuilder2 keeps `&amp;` as is)
const HOSTILE = [
  `a b'c"$(touch vd-pwned1);\`touch vd-pwned2\``,
  '数据库-主机 01',
  '<x>&amp;</x>]]>',
  'a & b &lt; &#38; &unknown;',
];

const input = (extra: Partial<DomainXmlInput> = {}): DomainXmlInput => ({
  name: 'web-1',
  uuid: UUID,
  virtType: 'qemu',
  vcpus: 1,
  memoryMiB: 64,
  disk: { pool: 'images', volume: 'web-1-6f1e2b7c.qcow2', format: 'qcow2' },
  network: { kind: 'none' },
  tag: { createdAt: 1700000000000, hostId: 'h1' },
  ...extra,
});

describe('buildDomainXml', () => {
  it('has the golden shape for a small TCG VM', () => {
    expect(buildDomainXml(input())).toBe(`<domain type="qemu">
  <name>web-1</name>
  <uuid>${UUID}</uuid>
  <metadata>
    <virtdeck:instance xmlns:virtdeck="https://virtdeck.invalid/xmlns/deploy/1" created-at="1700000000000" host-id="h1"/>
  </metadata>
  <memory unit="MiB">64</memory>
  <currentMemory unit="MiB">64</currentMemory>
  <vcpu placement="static">1</vcpu>
  <os>
    <type>hvm</type>
    <boot dev="hd"/>
  </os>
  <features>
    <acpi/>
    <apic/>
  </features>
  <clock offset="utc"/>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <disk type="volume" device="disk">
      <driver name="qemu" type="qcow2"/>
      <source pool="images" volume="web-1-6f1e2b7c.qcow2"/>
      <target dev="vda" bus="virtio"/>
    </disk>
    <serial type="pty">
      <target port="0"/>
    </serial>
    <console type="pty">
      <target type="serial" port="0"/>
    </console>
    <graphics type="vnc" port="-1" autoport="yes" listen="127.0.0.1"/>
    <video>
      <model type="vga"/>
    </video>
    <memballoon model="virtio"/>
  </devices>
</domain>`);
  });

  it.each(HOSTILE)('escapes %s and reads it back intact', (name) => {
    const xml = buildDomainXml(
      input({
        name,
        disk: { pool: name, volume: name, format: 'qcow2' },
        network: { kind: 'network', name },
        tag: { createdAt: 1, group: { id: name, name } },
      }),
    );
    expect(xml).not.toContain('<x>');
    if (name.includes('"')) expect(xml).toContain('volume="a b\'c&quot;$(touch');
    const root = parseXml(xml);
    expect(childText(root, 'name')).toBe(name);
    expect(root?.find('source')?.attr('volume')).toBe(name);
    expect(root?.find('interface')?.find('source')?.attr('network')).toBe(name);
    expect(root?.find('instance')?.attr('group-name')).toBe(name);
  });

  it('attaches an installation ISO (boots first) and the cloud-init seed as CD-ROMs, and a bridge', () => {
    const xml = buildDomainXml(
      input({
        cdrom: { pool: 'isos', volume: 'debian.iso' },
        seed: { pool: 'images', volume: 'web-1-seed.iso' },
        network: { kind: 'bridge', name: 'br0' },
      }),
    );
    expect(xml).toContain('<boot dev="cdrom"/>\n    <boot dev="hd"/>');
    expect(xml).toContain(
      '<disk type="volume" device="cdrom">\n      <driver name="qemu" type="raw"/>\n      <source pool="isos" volume="debian.iso"/>\n      <target dev="sda" bus="sata"/>\n      <readonly/>',
    );
    expect(xml).toContain('<source pool="images" volume="web-1-seed.iso"/>\n      <target dev="sdb" bus="sata"/>');
    expect(xml).toContain('<interface type="bridge">\n      <source bridge="br0"/>\n      <model type="virtio"/>');
  });

  it('never lets a control character make the XML invalid', () => {
    expect(parseXml(buildDomainXml(input({ name: 'a\u0001b' })))).not.toBeNull();
  });
});

describe('parseInstanceTag', () => {
  it('reads the tag as `virsh metadata` prints it', () => {
    expect(parseInstanceTag('<instance created-at="5" host-id="h" group-id="g1" group-name="web"/>\n')).toEqual({
      createdAt: 5,
      hostId: 'h',
      group: { id: 'g1', name: 'web' },
    });
    expect(parseInstanceTag('<instance created-at="7"/>')).toEqual({ createdAt: 7 });
  });
  it('answers null for no tag, another element, or an error', () => {
    expect(parseInstanceTag('')).toBeNull();
    expect(parseInstanceTag('<other created-at="1"/>')).toBeNull();
    expect(parseInstanceTag('error: metadata not found: Requested metadata element is not present')).toBeNull();
  });
});
