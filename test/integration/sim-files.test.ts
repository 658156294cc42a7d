// What `virtdeck sim` writes is usable as is: hosts.json reads through HostConfigStore, the
// trust store vouches for every port, and OpenSSH itself logs in with the ssh_config snippet and
// known_hosts (strict host-key checking) and runs commands on the simulated host.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostConfigStore } from '../../src/main/config/host-config-store';
import { HostKeyStore } from '../../src/main/ssh/host-key-store';
import { FleetSimulator } from '../../src/main/sim/fleet-sim';
import { writeSimFiles } from '../../src/main/sim/sim-files';
import type { SimFiles } from '../../src/main/sim/sim-files';
import { tempDir } from '../helpers/temp';

describe('the simulator’s files', () => {
  let sim: FleetSimulator;
  let files: SimFiles;
  beforeAll(async () => {
    sim = await FleetSimulator.start({ hosts: 2, vms: 3, seed: 2, incidents: false });
    files = writeSimFiles(sim, join(tempDir('simfiles'), 'out'));
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('are a ready VirtDeck data dir', () => {
    const hosts = new HostConfigStore(files.hostsJson).list();
    expect(hosts.map((h) => [h.name, h.address, h.port, h.identityFile])).toEqual(
      sim.hosts.map((h, i) => [h.name, '127.0.0.1', sim.ports[i], files.identityFile]),
    );
    const keys = new HostKeyStore(join(files.dir, 'trusted-host-keys.json'));
    for (const p of sim.ports) {
      expect(keys.check('127.0.0.1', p, sim.hostKeyAlgorithm, sim.hostKeyFingerprint)).toEqual({ kind: 'trusted' });
    }
  });

  it('let OpenSSH log in with strict host-key checking and run virsh', async () => {
    // asynchronously: the simulator answers from this very process
    const ssh = (...cmd: string[]) =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn('ssh', [
          ...['-F', files.sshConfig, '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes', 'sim-hv002'],
          ...cmd,
        ]);
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('close', (status) => resolve({ status, stdout, stderr }));
      });
    const list = await ssh('virsh -c qemu:///system list --all');
    expect(list.stderr).not.toMatch(/warning|denied/i);
    expect(list.status).toBe(0);
    expect(
      list.stdout
        .split('\n')
        .slice(2, 5)
        .map((l) => l.trim().split(/\s+/)[1]),
    ).toEqual(sim.hosts[1]?.vms.map((v) => v.name));
    const missing = await ssh('frobnicate --now');
    expect([missing.status, missing.stderr]).toEqual([127, 'sh: 1: frobnicate: not found\n']);
  });
});
