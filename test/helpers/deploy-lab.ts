// For create-VM and group tests: dir storage pools of the test's own (transient, under a temp
// dir, prefix vd-deploy-) with a small qcow2 base volume, and a second lab "host" reached
// through a TCP proxy (same sshd and libvirtd) so automatic placement has two candidates.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { HostKeyStore } from '../../src/main/ssh/host-key-store';
import type { Lab } from './lab';
import { fingerprintOf } from './sshd';
import { startTaskLab } from './task-lab';
import type { TaskLab } from './task-lab';
import { startTcpProxy } from './tcp-proxy';
import type { TcpProxy } from './tcp-proxy';
import { virsh, virshMaybe } from './task-lab';
import { tempDir } from './temp';

export const BASE = 'base.qcow2';

export interface TestPool {
  name: string;
  dir: string;
  /** Volume names in the pool now. */
  volumes(): string[];
  remove(): void;
}

/** A pool's volumes from `virsh vol-list` (virsh 9 has no --name): the path column starts at the first "/". */
function listVolumes(lab: Lab, pool: string): { name: string; path: string }[] {
  const out = virshMaybe(lab, 'vol-list', '--pool', pool) ?? '';
  return out
    .split('\n')
    .slice(2)
    .flatMap((l) => {
      const m = /^ ([^/]*?)\s{3,}(\/.*)$/.exec(l);
      return m ? [{ name: (m[1] ?? '').trimEnd(), path: m[2] ?? '' }] : [];
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function createTestPool(lab: Lab, tag: string): TestPool {
  const dir = tempDir(`vd-deploy-${tag}`);
  const name = `vd-deploy-${tag}-${process.pid}`;
  virshMaybe(lab, 'pool-destroy', '--pool', name);
  virsh(lab, 'pool-create-as', '--name', name, '--type', 'dir', '--target', dir);
  virsh(lab, 'vol-create-as', '--pool', name, '--name', BASE, '--capacity', '16M', '--format', 'qcow2');
  return {
    name,
    dir,
    volumes: () => listVolumes(lab, name).map((v) => v.name),
    remove: () => {
      for (const v of listVolumes(lab, name)) virshMaybe(lab, 'vol-delete', '--vol', v.path);
      virshMaybe(lab, 'pool-destroy', '--pool', name);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface DeployLab extends TaskLab {
  /** The second host, through the proxy. */
  hostB: string;
  proxy: TcpProxy;
}

export async function startDeployLab(lab: Lab, dataDir = tempDir('deploy-data')): Promise<DeployLab> {
  const proxy = await startTcpProxy(lab.host, lab.ports[0] ?? 22);
  new HostKeyStore(join(dataDir, 'trusted-host-keys.json')).trust(
    lab.host,
    proxy.port,
    'ssh-ed25519',
    fingerprintOf(lab.hostPubKeyPath),
  );
  const t = await startTaskLab(lab, dataDir);
  const b = await t.client.call('hosts.add', {
    name: 'lab-deploy-b',
    address: lab.host,
    port: proxy.port,
    user: 'vdmon',
    identityFile: lab.keyPath,
    uri: lab.uri,
    intervalSec: 3600,
  });
  return {
    ...t,
    hostB: b.config.id,
    proxy,
    async close() {
      await t.close();
      await proxy.close();
    },
  };
}

/** Removes a domain by name if it exists (destroy, undefine, never its storage). */
export function removeDomainByName(lab: Lab, name: string): void {
  const uuid = virshMaybe(lab, 'domuuid', '--domain', name);
  if (!uuid) return;
  virshMaybe(lab, 'destroy', '--domain', uuid);
  virshMaybe(lab, 'undefine', '--domain', uuid);
}
