// For lifecycle tests: the real services on a fresh data dir with the lab host added (its key
// trusted up front), a contract client, tiny TCG domains of the test's own, and a way to wait
// for a task to end through the task.updated events.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServices } from '../../src/main/services';
import type { Services } from '../../src/main/services';
import { HostKeyStore } from '../../src/main/ssh/host-key-store';
import { createClient } from '../../src/shared/rpc/client';
import type { Client } from '../../src/shared/rpc/client';
import { createMemoryPair } from '../../src/shared/rpc/memory-transport';
import type { ClientMessage, ServerMessage } from '../../src/shared/rpc/messages';
import { serveConnection } from '../../src/shared/rpc/server';
import { FINAL_TASK_STATES } from '../../src/shared/model/task';
import type { Task } from '../../src/shared/model/task';
import type { Lab } from './lab';
import { fingerprintOf } from './sshd';
import { tempDir } from './temp';

export const virsh = (lab: Lab, ...args: string[]): string =>
  execFileSync('virsh', ['-c', lab.uri, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** virsh that may fail (cleanup): the output, or null. */
export function virshMaybe(lab: Lab, ...args: string[]): string | null {
  try {
    return virsh(lab, ...args);
  } catch {
    return null;
  }
}

/** Defines a 32 MiB TCG domain (ACPI on, no OS: it never answers a graceful shutdown). */
export function defineDomain(lab: Lab, name: string, diskPath?: string): string {
  const esc = (s: string) =>
    s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const disk = diskPath
    ? `<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file="${esc(diskPath)}"/><target dev='vda' bus='virtio'/></disk>`
    : '';
  const xml = `<domain type='qemu'>
  <name>${esc(name)}</name>
  <title>VirtDeck task test guest</title>
  <memory unit='MiB'>32</memory>
  <currentMemory unit='MiB'>32</currentMemory>
  <vcpu placement='static'>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>
  <features><acpi/></features>
  <clock offset='utc'/>
  <on_poweroff>destroy</on_poweroff><on_reboot>restart</on_reboot><on_crash>destroy</on_crash>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    ${disk}
    <serial type='null'/>
    <video><model type='none'/></video>
  </devices>
</domain>`;
  const file = join(tempDir('domxml'), 'domain.xml');
  writeFileSync(file, xml);
  virsh(lab, 'define', '--file', file);
  return virsh(lab, 'domuuid', '--domain', name);
}

/** Removes a test domain whatever its state (never one of the lab's own). */
export function removeDomain(lab: Lab, uuid: string): void {
  virshMaybe(lab, 'destroy', '--domain', uuid);
  virshMaybe(lab, 'undefine', '--domain', uuid, '--snapshots-metadata');
}

export interface TaskLab {
  services: Services;
  client: Client;
  hostId: string;
  events: Task[];
  /** Waits (bounded) until the task is in a final state, as the events tell it. */
  settle(id: number, timeoutMs?: number): Promise<Task>;
  close(): Promise<void>;
}

export async function startTaskLab(lab: Lab, dataDir = tempDir('tasks-data')): Promise<TaskLab> {
  const port = lab.ports[0] ?? 22;
  new HostKeyStore(join(dataDir, 'trusted-host-keys.json')).trust(
    lab.host,
    port,
    'ssh-ed25519',
    fingerprintOf(lab.hostPubKeyPath),
  );
  const services = createServices({ dataDir, mode: 'headless', version: '0.0.0-test', home: tempDir('home') });
  const pair = createMemoryPair<ClientMessage, ServerMessage>();
  const stop = serveConnection(pair.right, services.handlers, services.hub);
  const client = createClient(pair.left);
  const events: Task[] = [];
  client.on('task.updated', (t) => events.push(t));
  const host = await client.call('hosts.add', {
    name: 'lab-tasks',
    address: lab.host,
    port,
    user: 'vdmon',
    identityFile: lab.keyPath,
    uri: lab.uri,
    intervalSec: 3600, // no loop runs; refreshes are explicit
  });
  return {
    services,
    client,
    hostId: host.config.id,
    events,
    async settle(id, timeoutMs = 60_000) {
      const end = Date.now() + timeoutMs;
      while (Date.now() < end) {
        const last = events.filter((e) => e.id === id).at(-1);
        if (last && FINAL_TASK_STATES.includes(last.state)) return last;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(
        `task ${id} did not end within ${timeoutMs} ms: ${JSON.stringify(await client.call('tasks.get', { id }))}`,
      );
    },
    async close() {
      client.close();
      stop();
      pair.close();
      await services.stop();
    },
  };
}
