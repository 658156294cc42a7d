// The simulated fleet: N hypervisors × M VMs, each host an SSH server on its own loopback port,
// one clock (injectable), the incident script, and what a client needs to connect (key, ports,
// host-key fingerprint). Deterministic for a seed and a clock.
import { randomBytes } from 'node:crypto';
import { utils } from 'ssh2';
import { sha256Fingerprint } from '../ssh/fingerprint';
import { defaultIncidents, IncidentScript } from './incidents';
import type { Incident } from './incidents';
import { createHost } from './model';
import type { SimHost } from './model';
import { SimHostServer } from './ssh-server';
import { advanceHost } from './workload';

export interface FleetSimOptions {
  hosts: number;
  vms: number;
  seed?: number;
  /** Host i listens on portBase + i; 0 (default): any free ports. */
  portBase?: number;
  /** Ports to try first, one per host (the demo fleet keeps its ports across restarts). */
  ports?: readonly number[];
  /** true (default): the default script; false: none; or a script of your own. */
  incidents?: boolean | readonly Incident[];
  /** Epoch ms; default Date.now. Tests pass a clock they can move. */
  now?: () => number;
  /** OpenSSH private host key; default: a new ed25519 key. */
  hostKey?: string;
  /** OpenSSH private key of the client allowed in; default: a new ed25519 key. */
  clientKey?: string;
  /** Password accepted for every user; default: a random one. */
  password?: string;
}

export interface SimKeys {
  hostKey: string;
  clientKey: string;
  clientPublicKey: string;
}

/**
 * An ed25519 pair ssh2 can read back: its generator writes about 1 key in 250 that its own
 * parser calls "Malformed OpenSSH private key" (measured: 8 in 2,000), so draw again.
 */
function readableKeyPair(): { private: string; public: string } {
  for (let i = 0; i < 20; i++) {
    const pair = utils.generateKeyPairSync('ed25519');
    if (!(utils.parseKey(pair.private) instanceof Error) && !(utils.parseKey(pair.public) instanceof Error))
      return pair;
  }
  throw new Error('simulator: could not generate a readable ed25519 key');
}

export function generateKeys(): SimKeys {
  const host = readableKeyPair();
  const client = readableKeyPair();
  return { hostKey: host.private, clientKey: client.private, clientPublicKey: client.public };
}

function publicOf(privateKey: string): { line: string; blob: Buffer } {
  const k = utils.parseKey(privateKey);
  if (k instanceof Error) throw new Error(`simulator: key unreadable: ${k.message}`);
  const key = Array.isArray(k) ? k[0] : k;
  if (!key) throw new Error('simulator: empty key');
  const blob = key.getPublicSSH();
  return { line: `${key.type} ${blob.toString('base64')}`, blob };
}

export class FleetSimulator {
  readonly hosts: SimHost[];
  readonly servers: SimHostServer[];
  readonly hostKey: string;
  readonly clientKey: string;
  readonly clientPublicKey: string;
  readonly hostKeyLine: string;
  readonly hostKeyFingerprint: string;
  readonly hostKeyAlgorithm: string;
  readonly password: string;
  readonly seed: number;
  readonly startedMs: number;
  readonly now: () => number;
  private readonly script: IncidentScript;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  private constructor(opts: FleetSimOptions) {
    this.now = opts.now ?? Date.now;
    this.seed = opts.seed ?? 1;
    this.startedMs = this.now();
    const gen = opts.hostKey && opts.clientKey ? null : generateKeys();
    this.hostKey = opts.hostKey ?? gen?.hostKey ?? '';
    this.clientKey = opts.clientKey ?? gen?.clientKey ?? '';
    this.clientPublicKey = publicOf(this.clientKey).line;
    const hostPub = publicOf(this.hostKey);
    this.hostKeyLine = hostPub.line;
    this.hostKeyFingerprint = sha256Fingerprint(hostPub.blob);
    this.hostKeyAlgorithm = hostPub.line.split(' ')[0] ?? 'ssh-ed25519';
    this.password = opts.password ?? randomBytes(12).toString('base64url');
    this.hosts = Array.from({ length: opts.hosts }, (_, i) => createHost(this.seed, i, opts.vms, this.startedMs));
    const incidents =
      opts.incidents === false
        ? []
        : opts.incidents === true || opts.incidents === undefined
          ? defaultIncidents(opts.hosts, opts.vms)
          : opts.incidents;
    this.script = new IncidentScript(incidents, this.hosts);
    this.servers = this.hosts.map(
      (host) =>
        new SimHostServer({
          host,
          hostKey: this.hostKey,
          clientPublicKey: this.clientPublicKey,
          password: this.password,
          now: this.now,
          refresh: () => this.refresh(host),
        }),
    );
  }

  /** Builds the fleet and starts every host's SSH server. */
  static async start(opts: FleetSimOptions): Promise<FleetSimulator> {
    const sim = new FleetSimulator(opts);
    try {
      for (let i = 0; i < sim.servers.length; i++) {
        const server = sim.servers[i] as SimHostServer;
        const want = opts.ports?.[i] ?? (opts.portBase ? opts.portBase + i : 0);
        try {
          await server.listen(want);
        } catch (e) {
          if (!opts.ports || want === 0) throw e;
          await server.listen(0); // a remembered port is taken now: any free one
        }
      }
    } catch (e) {
      await sim.stop();
      throw e;
    }
    sim.tick();
    sim.timer = setInterval(() => sim.tick(), 250);
    sim.timer.unref();
    return sim;
  }

  get ports(): number[] {
    return this.servers.map((s) => s.port);
  }

  /** Incidents due by now, and servers opened or closed to match reachability. */
  tick(): void {
    if (this.stopped) return;
    const now = this.now();
    const changed = this.script.apply((now - this.startedMs) / 1000, now);
    for (const host of changed) {
      const server = this.servers[host.index];
      if (!server) continue;
      if (host.unreachable) void server.close();
      else void server.listen(server.port).catch(() => undefined);
    }
  }

  private refresh(host: SimHost): void {
    this.tick();
    advanceHost(host, this.now());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.all(this.servers.map((s) => s.close()));
  }
}
