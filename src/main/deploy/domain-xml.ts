// The domain XML of a VM the wizard creates, built with xmlbuilder2 (every name and value is
// escaped by the builder; nothing is concatenated into XML). Disks are `type='volume'` (pool +
// volume), so libvirt resolves the path for any pool type and `undefine --remove-all-storage`
// finds them. VirtDeck tags the domain in <metadata> with its own namespace, so instances of a
// group can be found again on any host.
import { create } from 'xmlbuilder2';
import type { VmNetwork } from '../../shared/contract/deploy-schemas';
import { DEPLOY_XMLNS } from '../../shared/model/deploy';
import { parseXml } from './xml-read';

export interface VolumeOnPool {
  pool: string;
  volume: string;
}

export interface InstanceTag {
  createdAt: number;
  /** The VirtDeck host entry that created it (two entries may reach the same libvirtd). */
  hostId?: string | undefined;
  group?: { id: string; name: string } | undefined;
}

export interface DomainXmlInput {
  name: string;
  uuid: string;
  virtType: 'kvm' | 'qemu';
  vcpus: number;
  memoryMiB: number;
  disk: VolumeOnPool & { format: string };
  /** An installation ISO (empty-disk source). */
  cdrom?: VolumeOnPool | undefined;
  /** The cloud-init NoCloud seed ISO. */
  seed?: VolumeOnPool | undefined;
  network: VmNetwork;
  tag: InstanceTag;
}

const PREFIX = 'virtdeck';

/**
 * xmlbuilder2 escapes <, >, " and ', but leaves an `&` that starts something entity-like
 * (`&amp;`) as it is, so a name holding `&amp;` would reach libvirt as `&`. Every user value
 * passes here first: each `&` becomes `&amp;`, which the writer then keeps, and the parser reads
 * back as the `&` the user typed.
 */
const v = (s: string) => s.replace(/&/g, '&amp;');

export function buildDomainXml(d: DomainXmlInput): string {
  const doc = create({ version: '1.0', invalidCharReplacement: '\uFFFD' });
  const dom = doc.ele('domain', { type: d.virtType });
  dom.ele('name').txt(v(d.name));
  dom.ele('uuid').txt(d.uuid);
  const tag = dom.ele('metadata').ele(DEPLOY_XMLNS, `${PREFIX}:instance`, { 'created-at': String(d.tag.createdAt) });
  if (d.tag.hostId) tag.att('host-id', v(d.tag.hostId));
  if (d.tag.group) tag.att('group-id', v(d.tag.group.id)).att('group-name', v(d.tag.group.name));
  dom.ele('memory', { unit: 'MiB' }).txt(String(d.memoryMiB));
  dom.ele('currentMemory', { unit: 'MiB' }).txt(String(d.memoryMiB));
  dom.ele('vcpu', { placement: 'static' }).txt(String(d.vcpus));
  const os = dom.ele('os');
  os.ele('type').txt('hvm');
  // an installation ISO boots first; once installed the disk boots (the CD finds nothing to do)
  if (d.cdrom) os.ele('boot', { dev: 'cdrom' });
  os.ele('boot', { dev: 'hd' });
  const features = dom.ele('features');
  features.ele('acpi');
  features.ele('apic');
  dom.ele('clock', { offset: 'utc' });
  dom.ele('on_poweroff').txt('destroy');
  dom.ele('on_reboot').txt('restart');
  dom.ele('on_crash').txt('destroy');
  const dev = dom.ele('devices');
  const disk = dev.ele('disk', { type: 'volume', device: 'disk' });
  disk.ele('driver', { name: 'qemu', type: d.disk.format });
  disk.ele('source', { pool: v(d.disk.pool), volume: v(d.disk.volume) });
  disk.ele('target', { dev: 'vda', bus: 'virtio' });
  const cdroms = [d.cdrom, d.seed].filter((c): c is VolumeOnPool => c !== undefined);
  cdroms.forEach((c, i) => {
    const cd = dev.ele('disk', { type: 'volume', device: 'cdrom' });
    cd.ele('driver', { name: 'qemu', type: 'raw' });
    cd.ele('source', { pool: v(c.pool), volume: v(c.volume) });
    cd.ele('target', { dev: `sd${String.fromCharCode(97 + i)}`, bus: 'sata' });
    cd.ele('readonly');
  });
  if (d.network.kind === 'network') {
    const nic = dev.ele('interface', { type: 'network' });
    nic.ele('source', { network: v(d.network.name) });
    nic.ele('model', { type: 'virtio' });
  } else if (d.network.kind === 'bridge') {
    const nic = dev.ele('interface', { type: 'bridge' });
    nic.ele('source', { bridge: v(d.network.name) });
    nic.ele('model', { type: 'virtio' });
  }
  dev.ele('serial', { type: 'pty' }).ele('target', { port: '0' });
  dev.ele('console', { type: 'pty' }).ele('target', { type: 'serial', port: '0' });
  dev.ele('graphics', { type: 'vnc', port: '-1', autoport: 'yes', listen: '127.0.0.1' });
  dev.ele('video').ele('model', { type: 'vga' });
  dev.ele('memballoon', { model: 'virtio' });
  return doc.end({ prettyPrint: true, headless: true });
}

/** Reads VirtDeck's tag as `virsh metadata --uri <ns>` prints it; null when the domain has none. */
export function parseInstanceTag(xml: string): InstanceTag | null {
  const el = parseXml(xml);
  if (!el || el.name !== 'instance') return null;
  const createdAt = Number(el.attr('created-at'));
  if (!Number.isFinite(createdAt)) return null;
  const id = el.attr('group-id');
  const name = el.attr('group-name');
  const hostId = el.attr('host-id');
  return {
    createdAt,
    ...(hostId ? { hostId } : {}),
    ...(id ? { group: { id, name: name ?? id } } : {}),
  };
}
