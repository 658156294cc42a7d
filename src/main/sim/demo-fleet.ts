// The demo fleet: when a data dir has no hosts, a small simulated fleet (4 hosts × 12 VMs) runs
// in-process and its hosts are added through the normal Fleet path (HostConfig.simulated), so
// a newcomer sees a living console at once. Its host key is ours and is recorded in the trust
// store for its own ports only. Removing it is one call, and it stays removed (demo-fleet.json).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Fleet } from '../collector/fleet';
import { JsonFile } from '../config/json-file';
import type { HostKeyStore } from '../ssh/host-key-store';
import { FleetSimulator, generateKeys } from './fleet-sim';

export const DEMO_HOSTS = 4;
export const DEMO_VMS = 12;
const DEMO_INTERVAL_SEC = 5;

interface DemoState {
  /** The demo fleet was created once for this data dir. */
  created: boolean;
  /** The user removed it: never again. */
  removed: boolean;
  seed?: number;
  hostKey?: string;
  clientKey?: string;
  ports?: number[];
}

export interface DemoFleetDeps {
  dataDir: string;
  fleet: Fleet;
  hostKeys: HostKeyStore;
  log?: (line: string) => void;
}

export class DemoFleet {
  private readonly state: JsonFile<DemoState>;
  private sim: FleetSimulator | null = null;
  private starting: Promise<void> | null = null;

  constructor(private readonly deps: DemoFleetDeps) {
    this.state = new JsonFile<DemoState>(join(deps.dataDir, 'demo-fleet.json'), { created: false, removed: false });
  }

  get running(): boolean {
    return this.sim !== null;
  }

  private demoViews() {
    return this.deps.fleet.list().filter((v) => v.config.simulated);
  }

  /**
   * Starts the demo fleet when it is wanted: never removed, and either no hosts at all (a first
   * start) or its hosts still configured (a restart). Null when there is nothing to do.
   */
  startIfWanted(): Promise<void> | null {
    const st = this.state.read();
    if (st.removed) return null;
    const all = this.deps.fleet.list();
    const demo = this.demoViews();
    if (demo.length === 0 && (all.length > 0 || st.created)) return null;
    this.starting ??= this.start(st).finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  private async start(st: DemoState): Promise<void> {
    const keys = st.hostKey && st.clientKey ? { hostKey: st.hostKey, clientKey: st.clientKey } : generateKeys();
    const seed = st.seed ?? Math.floor(Math.random() * 2 ** 31);
    const sim = await FleetSimulator.start({
      hosts: DEMO_HOSTS,
      vms: DEMO_VMS,
      seed,
      hostKey: keys.hostKey,
      clientKey: keys.clientKey,
      ...(st.ports ? { ports: st.ports } : {}),
    });
    this.sim = sim;
    const dir = join(this.deps.dataDir, 'demo-fleet');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const identityFile = join(dir, 'id_ed25519');
    writeFileSync(identityFile, sim.clientKey, { mode: 0o600 });
    // our own in-process server: its key is trusted for its ports, and for nothing else
    for (const port of sim.ports)
      this.deps.hostKeys.trust('127.0.0.1', port, sim.hostKeyAlgorithm, sim.hostKeyFingerprint);
    const existing = this.demoViews();
    sim.hosts.forEach((h, i) => {
      const port = sim.ports[i] ?? 0;
      const old = existing.find((v) => v.config.name === h.name);
      if (old && old.config.port === port && old.config.identityFile === identityFile) return;
      if (old) this.deps.fleet.remove(old.config.id); // its port was taken since: a new one
      this.deps.fleet.add(
        {
          name: h.name,
          address: '127.0.0.1',
          port,
          user: 'demo',
          identityFile,
          uri: 'qemu:///system',
          intervalSec: DEMO_INTERVAL_SEC,
          timeoutSec: 5,
          enabled: true,
        },
        { simulated: true },
      );
    });
    this.state.write({ created: true, removed: false, seed, ...keys, ports: sim.ports });
    this.deps.log?.(
      `demo fleet: ${DEMO_HOSTS} simulated hosts × ${DEMO_VMS} VMs on 127.0.0.1 ports ${sim.ports.join(', ')}`,
    );
  }

  /** Removes the demo hosts, stops the simulator, and remembers never to start it again. */
  async remove(): Promise<{ removed: number }> {
    await this.starting?.catch(() => undefined);
    const demo = this.demoViews();
    for (const v of demo) this.deps.fleet.remove(v.config.id);
    for (const port of this.sim?.ports ?? this.state.read().ports ?? []) this.deps.hostKeys.forget('127.0.0.1', port);
    await this.stop();
    this.state.write({ created: true, removed: true });
    rmSync(join(this.deps.dataDir, 'demo-fleet'), { recursive: true, force: true });
    return { removed: demo.length };
  }

  async stop(): Promise<void> {
    await this.starting?.catch(() => undefined); // a start under way finishes first, then stops
    const sim = this.sim;
    this.sim = null;
    await sim?.stop();
  }
}
