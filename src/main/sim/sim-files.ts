// What a client needs to reach a simulated fleet, as files: VirtDeck's hosts.json and
// trusted-host-keys.json (so the directory works as a data dir), the client key, an ssh_config
// snippet and a known_hosts file for OpenSSH.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostConfig } from '../../shared/model/host';
import { hostKeyId } from '../ssh/host-key-store';
import type { TrustedKey } from '../ssh/host-key-store';
import type { FleetSimulator } from './fleet-sim';

export interface SimHostsOptions {
  identityFile: string;
  user?: string;
  intervalSec?: number;
  /** Marks the hosts as the built-in demo fleet (HostConfig.simulated). */
  demo?: boolean;
}

/** One HostConfig per simulated host, in the format HostConfigStore reads. */
export function simHostConfigs(sim: FleetSimulator, opts: SimHostsOptions): HostConfig[] {
  return sim.hosts.map((h, i) => ({
    id: `sim-${sim.seed}-${h.name}`,
    name: h.name,
    address: '127.0.0.1',
    port: sim.ports[i] ?? 0,
    user: opts.user ?? 'root',
    identityFile: opts.identityFile,
    uri: 'qemu:///system',
    intervalSec: opts.intervalSec ?? 10,
    timeoutSec: 5,
    enabled: true,
    simulated: opts.demo ?? false,
  }));
}

/** trusted-host-keys.json content: the fleet's host key for each of its ports. */
export function simTrustStore(sim: FleetSimulator): Record<string, TrustedKey> {
  const trustedAt = new Date().toISOString();
  return Object.fromEntries(
    sim.ports.map((p) => [
      hostKeyId('127.0.0.1', p),
      { algorithm: sim.hostKeyAlgorithm, fingerprint: sim.hostKeyFingerprint, trustedAt },
    ]),
  );
}

export function simSshConfig(sim: FleetSimulator, identityFile: string, knownHosts: string, user = 'root'): string {
  return sim.hosts
    .map((h, i) =>
      [
        `Host ${h.name}`,
        '  HostName 127.0.0.1',
        `  Port ${sim.ports[i] ?? 0}`,
        `  User ${user}`,
        `  IdentityFile ${identityFile}`,
        '  IdentitiesOnly yes',
        `  UserKnownHostsFile ${knownHosts}`,
        '',
      ].join('\n'),
    )
    .join('\n');
}

export function simKnownHosts(sim: FleetSimulator): string {
  return sim.ports.map((p) => `[127.0.0.1]:${p} ${sim.hostKeyLine}\n`).join('');
}

export interface SimFiles {
  dir: string;
  hostsJson: string;
  identityFile: string;
  sshConfig: string;
  knownHosts: string;
}

/** Writes hosts.json, trusted-host-keys.json, id_ed25519, ssh_config and known_hosts into `dir`. */
export function writeSimFiles(
  sim: FleetSimulator,
  dir: string,
  opts: { user?: string; intervalSec?: number } = {},
): SimFiles {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const identityFile = join(dir, 'id_ed25519');
  const knownHosts = join(dir, 'known_hosts');
  const sshConfig = join(dir, 'ssh_config');
  const hostsJson = join(dir, 'hosts.json');
  writeFileSync(identityFile, sim.clientKey, { mode: 0o600 });
  writeFileSync(`${identityFile}.pub`, `${sim.clientPublicKey} virtdeck-sim\n`, { mode: 0o644 });
  writeFileSync(knownHosts, simKnownHosts(sim), { mode: 0o644 });
  writeFileSync(sshConfig, simSshConfig(sim, identityFile, knownHosts, opts.user), { mode: 0o644 });
  const hosts = simHostConfigs(sim, { identityFile, ...opts });
  writeFileSync(hostsJson, JSON.stringify(hosts, null, 2) + '\n', { mode: 0o600 });
  writeFileSync(join(dir, 'trusted-host-keys.json'), JSON.stringify(simTrustStore(sim), null, 2) + '\n', {
    mode: 0o600,
  });
  return { dir, hostsJson, identityFile, sshConfig, knownHosts };
}
