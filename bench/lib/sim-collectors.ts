// The real HostCollectors for every host of a simulated fleet (hosts.json and trusted keys from
// the simulator's data dir), as the collector benches drive them: one connect limiter, no store.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostConfig } from '../../src/shared/model/host';
import { HostCollector } from '../../src/main/collector/host-collector';
import { SessionSecrets } from '../../src/main/config/session-secrets';
import { ConnectLimiter } from '../../src/main/ssh/connect-limiter';
import { HostKeyStore } from '../../src/main/ssh/host-key-store';
import { HostKeyVerifier } from '../../src/main/ssh/host-key-verifier';

export interface SimCollectors {
  configs: HostConfig[];
  verifier: HostKeyVerifier;
  limiter: ConnectLimiter;
  collectors: HostCollector[];
  /** One cycle of every host at once. */
  fleetCycle: () => Promise<HostCollector['view'][]>;
}

export function simCollectors(sim: { dir: string; hostsJson: string }): SimCollectors {
  const configs = JSON.parse(readFileSync(sim.hostsJson, 'utf8')) as HostConfig[];
  const verifier = new HostKeyVerifier(new HostKeyStore(join(sim.dir, 'trusted-host-keys.json')), []);
  const limiter = new ConnectLimiter(16);
  const collectors = configs.map(
    (config) =>
      new HostCollector(config, {
        verifier,
        limiter,
        secrets: new SessionSecrets(),
        sshConfigText: () => null,
        home: sim.dir,
        onView: () => undefined,
        onSnapshot: () => undefined,
      }),
  );
  return {
    configs,
    verifier,
    limiter,
    collectors,
    fleetCycle: () => Promise.all(collectors.map((c) => c.collectNow())),
  };
}
