// A simulated fleet with a movable clock, and a real Fleet (the services' collector path)
// connected to it over SSH, recording every view and snapshot.
import { join } from 'node:path';
import type { HostView } from '../../src/shared/model/host';
import type { HostSnapshot } from '../../src/shared/model/metrics';
import { EventHub } from '../../src/shared/rpc/event-hub';
import { Fleet } from '../../src/main/collector/fleet';
import { HostConfigStore } from '../../src/main/config/host-config-store';
import { SessionSecrets } from '../../src/main/config/session-secrets';
import { HostKeyStore } from '../../src/main/ssh/host-key-store';
import { HostKeyVerifier } from '../../src/main/ssh/host-key-verifier';
import { FleetSimulator } from '../../src/main/sim/fleet-sim';
import type { FleetSimOptions } from '../../src/main/sim/fleet-sim';
import { writeSimFiles } from '../../src/main/sim/sim-files';
import { tempDir } from './temp';

/** Real time plus an offset a test can move forward (incidents are scheduled on this clock). */
export class OffsetClock {
  offsetMs = 0;
  readonly now = () => Date.now() + this.offsetMs;
  jump(sec: number): void {
    this.offsetMs += sec * 1000;
  }
}

export interface SimFleet {
  sim: FleetSimulator;
  clock: OffsetClock;
  fleet: Fleet;
  views: Map<string, HostView>;
  snapshots: HostSnapshot[];
  ids: string[];
  stop(): Promise<void>;
}

export async function startSimFleet(opts: Omit<FleetSimOptions, 'now'>, intervalSec = 1): Promise<SimFleet> {
  const clock = new OffsetClock();
  const sim = await FleetSimulator.start({ ...opts, now: clock.now });
  const dir = tempDir('sim');
  const files = writeSimFiles(sim, join(dir, 'sim'));
  const hub = new EventHub();
  const views = new Map<string, HostView>();
  const snapshots: HostSnapshot[] = [];
  hub.subscribe((event, payload) => {
    if (event === 'host.updated') {
      const v = payload as HostView;
      views.set(v.config.id, v);
    }
  });
  const hostKeys = new HostKeyStore(join(dir, 'trusted-host-keys.json'));
  for (const p of sim.ports) hostKeys.trust('127.0.0.1', p, sim.hostKeyAlgorithm, sim.hostKeyFingerprint);
  const fleet = new Fleet({
    hosts: new HostConfigStore(join(dir, 'hosts.json')),
    hostKeys,
    hub,
    verifier: new HostKeyVerifier(hostKeys, []),
    secrets: new SessionSecrets(),
    sshConfigText: () => null,
    home: dir,
    onSnapshot: (s) => snapshots.push(s),
  });
  const ids = sim.hosts.map(
    (h, i) =>
      fleet.add({
        name: h.name,
        address: '127.0.0.1',
        port: sim.ports[i] ?? 0,
        user: 'root',
        identityFile: files.identityFile,
        uri: 'qemu:///system',
        intervalSec,
        timeoutSec: 5,
        enabled: true,
      }).config.id,
  );
  fleet.start();
  return {
    sim,
    clock,
    fleet,
    views,
    snapshots,
    ids,
    stop: async () => {
      fleet.stop();
      await sim.stop();
    },
  };
}
