// Collects one host on its interval: one batched round trip per cycle over a persistent SSH
// connection (and a persistent remote sh), figures from counter deltas, a status that says what
// is wrong. A slow or dead host only ever delays itself.
import type { HostConfig, HostStatus, HostView, VmSummary } from '../../shared/model/host';
import type { HostSnapshot, VmFigures } from '../../shared/model/metrics';
import { parseDomStats } from '../libvirt/parse-domstats';
import { parseListUuidName, parseUuidLines } from '../libvirt/parse-list-uuid';
import type { SessionSecrets } from '../config/session-secrets';
import { backoffDelay } from '../ssh/backoff';
import type { ConnectLimiter } from '../ssh/connect-limiter';
import type { HostKeyVerifier } from '../ssh/host-key-verifier';
import { ShellRunner } from '../ssh/shell-runner';
import type { ShellResult } from '../ssh/shell-runner';
import { SshChain } from '../ssh/ssh-chain';
import { SshError } from '../ssh/ssh-errors';
import { resolveTarget } from '../ssh/ssh-target';
import type { ResolvedTarget } from '../ssh/ssh-target';
import { buildBatch, splitBatch } from './batch';
import { nextCycleAt, phaseOf } from './cycle-phase';
import type { BatchPlan, Section } from './batch';
import { HostFacts, hostFigures } from './host-figures';
import type { HostSample } from './host-figures';
import { countersOf, vmFigures } from './vm-figures';
import type { TimedCounters } from './vm-figures';

export interface CollectorDeps {
  verifier: HostKeyVerifier;
  limiter?: ConnectLimiter | undefined;
  secrets: SessionSecrets;
  /** The user's ~/.ssh/config text (null when there is none). */
  sshConfigText: () => string | null;
  /** The home whose ~/.ssh holds the default key files (tests point it elsewhere). */
  home?: string | undefined;
  onView: (view: HostView) => void;
  onSnapshot: (snapshot: HostSnapshot) => void;
  now?: () => number;
  /** Grace beyond the interval before a host with no fresh data is 'stale'. */
  staleToleranceMs?: number;
  /** Storage pools are read this often, not every cycle. */
  poolIntervalMs?: number;
}

const FACTS_REFRESH_MS = 10 * 60_000;

export class HostCollector {
  view: HostView;
  lastSnapshot: HostSnapshot | null = null;
  private chain: SshChain | null = null;
  private runner: ShellRunner | null = null;
  private timer: NodeJS.Timeout | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  private running = false;
  private inflight: Promise<HostView> | null = null;
  private failures = 0;
  private uuids = new Map<string, string>();
  /** UUIDs of the VMs libvirt autostarts; null until read. */
  private autostart: Set<string> | null = null;
  private prevVm = new Map<string, TimedCounters>();
  private prevHost: HostSample | null = null;
  private facts = new HostFacts();
  private factsAt = -Infinity;
  private poolsAt = -Infinity;
  private readonly now: () => number;

  constructor(
    readonly config: HostConfig,
    private readonly deps: CollectorDeps,
  ) {
    this.now = deps.now ?? Date.now;
    this.view = {
      config,
      status: config.enabled ? 'connecting' : 'disabled',
      reason: null,
      resolved: null,
      lastSeen: null,
      pendingHostKey: null,
      warnings: [],
      vms: [],
      secrets: deps.secrets.has(config.id),
      needsSecret: null,
    };
  }

  start(): void {
    if (this.running || !this.config.enabled) return;
    this.running = true;
    this.watchdog = setInterval(() => this.checkStale(), 1000);
    this.watchdog.unref?.();
    void this.loop();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    if (this.watchdog) clearInterval(this.watchdog);
    this.timer = this.watchdog = null;
    this.disconnect();
  }

  private disconnect(): void {
    this.runner?.close();
    this.chain?.close();
    this.runner = null;
    this.chain = null;
  }

  private async loop(): Promise<void> {
    if (!this.running) return;
    const started = this.now();
    const view = await this.collectNow();
    if (!this.running) return;
    const intervalMs = this.config.intervalSec * 1000;
    const ok = view.status === 'ok' || view.status === 'degraded';
    this.failures = ok ? 0 : this.failures + 1;
    // steady cadence while healthy, in the host's own slot of the interval (cycle-phase.ts);
    // exponential backoff with jitter while failing
    const wait = ok
      ? Math.max(0, nextCycleAt(started, intervalMs, phaseOf(this.config.id, intervalMs)) - this.now())
      : view.status === 'hostkey-unknown' || view.status === 'hostkey-mismatch'
        ? Math.max(intervalMs, 30_000) // waits for the user; trusting a key triggers a poll
        : backoffDelay(this.failures - 1, { baseMs: 1000, capMs: Math.max(60_000, intervalMs) });
    this.timer = setTimeout(() => void this.loop(), wait);
  }

  /** The raw counters behind the latest snapshot (per VM key: UUID or `name:NAME`), for /metrics. */
  get rawCounters(): { vms: ReadonlyMap<string, TimedCounters>; host: HostSample | null } {
    return { vms: this.prevVm, host: this.prevHost };
  }

  /** Collects at once (sharing a cycle already under way) and returns the new view. */
  collectNow(): Promise<HostView> {
    this.inflight ??= this.cycle().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  private resolve(): ResolvedTarget {
    const c = this.config;
    return resolveTarget(
      { host: c.address, port: c.port, user: c.user, identityFile: c.identityFile, jump: c.jump },
      { sshConfigText: this.deps.sshConfigText(), ...(this.deps.home ? { home: this.deps.home } : {}) },
    );
  }

  private connectRunner(target: ResolvedTarget): ShellRunner {
    if (this.runner) return this.runner;
    const secrets = this.deps.secrets.get(this.config.id);
    this.chain = new SshChain({
      target,
      verifier: this.deps.verifier,
      limiter: this.deps.limiter,
      password: secrets.password,
      passphrase: secrets.passphrase,
      agent: process.env.SSH_AUTH_SOCK,
      connectTimeoutMs: this.config.timeoutSec * 1000,
    });
    this.chain.target.onClose(() => this.disconnect());
    this.runner = new ShellRunner(this.chain.target);
    return this.runner;
  }

  /**
   * Runs one argv on this host for a lifecycle task: over the same persistent connection, in an
   * exec channel of its own rather than the collector's shell, so a slow command (undefine with
   * storage) never delays monitoring and a host's tasks really run side by side. C locale, as
   * the collector's shell, so virsh prints parseable English.
   */
  async runCommand(argv: readonly string[], timeoutMs: number): Promise<{ code: number; output: string }> {
    this.connectRunner(this.resolve());
    const session = this.chain?.target;
    if (!session) throw new SshError('closed', `${this.config.name}: not connected`);
    const r = await session.exec(['env', 'LC_ALL=C', 'LANG=C', ...argv], { timeoutMs });
    return { code: r.code ?? (r.signal ? 128 : 255), output: `${r.stdout}${r.stderr}` };
  }

  private plan(): BatchPlan {
    const now = this.now();
    return {
      uri: this.config.uri,
      list: this.uuids.size === 0,
      nodeinfo: now - this.factsAt > FACTS_REFRESH_MS,
      pools: now - this.poolsAt > (this.deps.poolIntervalMs ?? 60_000),
    };
  }

  private async cycle(): Promise<HostView> {
    const t0 = this.now();
    let target: ResolvedTarget;
    try {
      target = this.resolve();
    } catch (e) {
      return this.publish({ status: 'unreachable', reason: `cannot resolve the SSH target: ${(e as Error).message}` });
    }
    const resolved = describeTarget(target);
    const timeoutMs = this.config.timeoutSec * 1000;
    try {
      const runner = this.connectRunner(target);
      const plan = this.plan();
      const results: ShellResult[] = [];
      let sections = await this.runBatch(runner, plan, timeoutMs, results);
      const domstats = sections.get('domstats');
      const parsed = domstats && domstats.code === 0 ? parseDomStats(domstats.bytes) : null;
      // a VM we have no UUID for: fetch the name↔UUID map in the same cycle
      if (parsed && !plan.list && parsed.domains.some((d) => !this.uuids.has(d.name))) {
        const again = await this.runBatch(
          runner,
          { uri: plan.uri, list: true, nodeinfo: false, pools: false },
          timeoutMs,
          results,
        );
        const list = again.get('list');
        if (list) sections = new Map([...sections, ['list', list]]);
      }
      const view = this.absorb(sections, parsed, plan, t0, resolved);
      // absorb kept only strings and numbers of its own: the output buffers can be refilled
      for (const r of results) runner.release(r);
      return view;
    } catch (e) {
      this.disconnect();
      return this.publishError(e, resolved);
    }
  }

  /** Runs one batch; its result is added to `results` (for release once absorbed). */
  private async runBatch(runner: ShellRunner, plan: BatchPlan, timeoutMs: number, results: ShellResult[]) {
    const { script, nonce } = buildBatch(plan);
    const result = await runner.run(script, timeoutMs);
    results.push(result);
    return splitBatch(result.bytes, nonce);
  }

  private absorb(
    sections: Map<string, Section>,
    parsed: ReturnType<typeof parseDomStats> | null,
    plan: BatchPlan,
    t0: number,
    resolved: string,
  ): HostView {
    const ts = this.now();
    const warnings: string[] = [];
    const list = sections.get('list');
    if (list && list.code === 0) {
      const l = parseListUuidName(list.text);
      warnings.push(...l.warnings);
      this.uuids = new Map(l.items.map((i) => [i.name, i.uuid]));
    }
    const autostart = sections.get('autostart');
    if (autostart && autostart.code === 0) this.autostart = parseUuidLines(autostart.text, warnings);
    if (plan.nodeinfo && sections.get('nodeinfo')?.code === 0) this.factsAt = ts;
    if (plan.pools && sections.get('pools')?.code === 0) this.poolsAt = ts;

    const host = hostFigures(sections, this.prevHost, this.facts, warnings);
    this.prevHost = host.sample;
    const clock = host.sample?.uptimeSec ?? ts / 1000; // the host's own clock, if it told us
    const vms: VmFigures[] = [];
    if (parsed) {
      warnings.push(...parsed.warnings);
      const seen = new Map<string, TimedCounters>();
      for (const d of parsed.domains) {
        const uuid = this.uuids.get(d.name) ?? null;
        const key = uuid ?? `name:${d.name}`;
        const fig = vmFigures(uuid, this.prevVm.get(key) ?? null, { stats: d, t: clock }, host.figures?.cpus ?? null);
        fig.autostart = this.autostart && uuid ? this.autostart.has(uuid) : null;
        vms.push(fig);
        // only the counters outlive the cycle: the rest of the parsed sample dies young
        seen.set(key, { stats: countersOf(d), t: clock });
      }
      this.prevVm = seen;
      if (host.figures) {
        const counts: Record<string, number> = {};
        for (const v of vms) counts[v.state] = (counts[v.state] ?? 0) + 1;
        host.figures.vmCounts = counts;
      }
    }
    const domstats = sections.get('domstats');
    let status: HostStatus = 'ok';
    let reason: string | null = null;
    if (!domstats) {
      status = 'degraded';
      reason = 'the host answered, but without libvirt statistics (output cut short?)';
    } else if (domstats.code !== 0) {
      status = 'degraded';
      const line = domstats.text.split('\n').find((l) => l.trim() !== '') ?? `exit status ${domstats.code}`;
      reason = `SSH works but virsh failed: ${line.trim().slice(0, 300)}`;
    }
    const snapshot: HostSnapshot = { hostId: this.config.id, ts, host: host.figures, vms, warnings, cycleMs: ts - t0 };
    this.lastSnapshot = snapshot;
    const summaries: VmSummary[] = parsed ? this.summaries(vms) : this.view.vms;
    this.deps.onSnapshot(snapshot);
    return this.publish({ status, reason, lastSeen: ts, resolved, warnings: warnings.slice(0, 50), vms: summaries });
  }

  /** The VM list of the view: the previous one as it is while no VM was added, renamed or changed state. */
  private summaries(vms: readonly VmFigures[]): VmSummary[] {
    const old = this.view.vms;
    const same =
      old.length === vms.length &&
      vms.every((v, i) => {
        const o = old[i] as VmSummary;
        return o.uuid === v.uuid && o.name === v.name && o.state === v.state;
      });
    if (same) return old;
    return vms.map((v) => ({ hostId: this.config.id, uuid: v.uuid, domId: null, name: v.name, state: v.state }));
  }

  private publishError(e: unknown, resolved: string): HostView {
    const message = e instanceof Error ? e.message : String(e);
    if (e instanceof SshError && e.kind === 'hostkey-unknown') {
      return this.publish({
        status: 'hostkey-unknown',
        resolved,
        reason: 'The host presented a key VirtDeck has not seen. Compare its fingerprint with the host, then trust it.',
        pendingHostKey: {
          host: e.extra.host ?? this.config.address,
          port: e.extra.port ?? this.config.port ?? 22,
          algorithm: e.extra.algorithm ?? 'unknown',
          fingerprint: e.extra.fingerprint ?? '',
        },
      });
    }
    if (e instanceof SshError && e.kind === 'hostkey-mismatch') {
      return this.publish({ status: 'hostkey-mismatch', reason: message, resolved });
    }
    const needsSecret = e instanceof SshError ? (e.extra.needs ?? null) : null;
    return this.publish({ status: 'unreachable', reason: message, resolved, needsSecret });
  }

  private publish(change: Partial<HostView> & { status: HostStatus }): HostView {
    const secrets = this.deps.secrets.has(this.config.id);
    this.view = { ...this.view, pendingHostKey: null, needsSecret: null, secrets, ...change };
    this.deps.onView(this.view);
    return this.view;
  }

  /** No fresh data for interval + tolerance while the host seemed fine: say so. */
  private checkStale(): void {
    if (this.view.status !== 'ok' || this.view.lastSeen === null) return;
    const age = this.now() - this.view.lastSeen;
    const limit = this.config.intervalSec * 1000 + (this.deps.staleToleranceMs ?? 10_000);
    if (age > limit) {
      this.publish({
        status: 'stale',
        reason: `no data for ${Math.round(age / 1000)} s (expected every ${this.config.intervalSec} s)`,
      });
    }
  }
}

export function describeTarget(t: ResolvedTarget): string {
  const hop = (h: { user: string; address: string; port: number }) => `${h.user}@${h.address}:${h.port}`;
  return t.jumps.length ? `${hop(t)} via ${t.jumps.map(hop).join(' → ')}` : hop(t);
}
