// Builds a HostCollector the way the services do, against the lab, recording what it emits.
import { join } from 'node:path';
import type { HostConfig, HostView } from '../../src/shared/model/host';
import type { HostSnapshot } from '../../src/shared/model/metrics';
import { HostCollector } from '../../src/main/collector/host-collector';
import { SessionSecrets } from '../../src/main/config/session-secrets';
import { HostKeyStore } from '../../src/main/ssh/host-key-store';
import { HostKeyVerifier } from '../../src/main/ssh/host-key-verifier';
import type { Lab } from './lab';
import { fingerprintOf } from './sshd';
import { tempDir } from './transports';

export interface Recorded {
  collector: HostCollector;
  keys: HostKeyStore;
  secrets: SessionSecrets;
  views: HostView[];
  snapshots: HostSnapshot[];
}

export function labConfig(lab: Lab, over: Partial<HostConfig> = {}): HostConfig {
  return {
    id: `lab-${Math.random().toString(36).slice(2, 8)}`,
    name: 'lab',
    address: lab.host,
    port: lab.ports[0] ?? 0,
    user: 'vdmon',
    identityFile: lab.keyPath,
    uri: lab.uri,
    intervalSec: 10,
    timeoutSec: 5,
    enabled: true,
    simulated: false,
    ...over,
  };
}

export interface RecordOptions {
  /** Trust the lab's host key for this port up front. */
  trustPorts?: number[];
  sshConfigText?: string | null;
  knownHostsFiles?: string[];
  staleToleranceMs?: number;
}

export function recordCollector(lab: Lab, config: HostConfig, opts: RecordOptions = {}): Recorded {
  const keys = new HostKeyStore(join(tempDir('keys'), 'trusted.json'));
  const fp = fingerprintOf(lab.hostPubKeyPath);
  for (const port of opts.trustPorts ?? [lab.ports[0] ?? 0]) keys.trust(lab.host, port, 'ssh-ed25519', fp);
  const views: HostView[] = [];
  const snapshots: HostSnapshot[] = [];
  const secrets = new SessionSecrets();
  const collector = new HostCollector(config, {
    verifier: new HostKeyVerifier(keys, opts.knownHostsFiles ?? []),
    secrets,
    sshConfigText: () => opts.sshConfigText ?? null,
    home: tempDir('home'), // no default key files: only what a test gives is offered
    onView: (v) => views.push(v),
    onSnapshot: (s) => snapshots.push(s),
    ...(opts.staleToleranceMs !== undefined ? { staleToleranceMs: opts.staleToleranceMs } : {}),
  });
  return { collector, keys, secrets, views, snapshots };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until the predicate holds or the time runs out (bounded). */
export async function until<T>(what: string, fn: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}
