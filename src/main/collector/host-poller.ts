// Polls one host on its interval over a persistent SSH session and keeps its HostView current.
// (The foundation slice reads the VM inventory; the full collector grows from here.)
import { readFile } from 'node:fs/promises';
import type { HostConfig, HostView } from '../../shared/model/host';
import { parseVirshList } from '../libvirt/parse-list';
import { virshListAll } from '../libvirt/virsh-commands';
import type { HostKeyStore } from '../ssh/host-key-store';
import { SshError } from '../ssh/ssh-errors';
import { SshSession } from '../ssh/ssh-session';

export interface HostPollerDeps {
  hostKeys: HostKeyStore;
  onUpdate: (view: HostView) => void;
  now?: () => number;
  timeoutMs?: number;
}

export class HostPoller {
  private session: SshSession | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private inflight: Promise<HostView> | null = null;
  view: HostView;

  constructor(
    readonly config: HostConfig,
    private readonly deps: HostPollerDeps,
  ) {
    this.view = {
      config,
      status: config.enabled ? 'connecting' : 'disabled',
      reason: null,
      lastSeen: null,
      pendingHostKey: null,
      vms: [],
    };
  }

  start(): void {
    if (this.running || !this.config.enabled) return;
    this.running = true;
    void this.loop();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.session?.close();
    this.session = null;
  }

  private async loop(): Promise<void> {
    if (!this.running) return;
    await this.pollNow();
    if (this.running) this.timer = setTimeout(() => void this.loop(), this.config.intervalSec * 1000);
  }

  /** Polls at once (sharing a poll already under way) and returns the new view. */
  pollNow(): Promise<HostView> {
    this.inflight ??= this.poll().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  private async openSession(): Promise<SshSession> {
    if (this.session) return this.session;
    const c = this.config;
    let privateKey: Buffer | undefined;
    if (c.identityFile) {
      try {
        privateKey = await readFile(c.identityFile);
      } catch (e) {
        throw new SshError(
          'config',
          `key file ${c.identityFile} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
        );
      }
    }
    const agent = process.env.SSH_AUTH_SOCK;
    this.session = new SshSession({
      target: {
        address: c.address,
        port: c.port,
        user: c.user,
        ...(privateKey ? { privateKey } : {}),
        ...(agent ? { agent } : {}),
      },
      verifyHostKey: (algorithm, fingerprint) => this.deps.hostKeys.check(c.address, c.port, algorithm, fingerprint),
      connectTimeoutMs: this.deps.timeoutMs ?? 5000,
    });
    return this.session;
  }

  private async poll(): Promise<HostView> {
    const now = this.deps.now ?? Date.now;
    const timeoutMs = this.deps.timeoutMs ?? 5000;
    let next: HostView;
    try {
      const session = await this.openSession();
      const res = await session.exec(virshListAll(this.config.uri), { timeoutMs });
      if (res.code !== 0) {
        const why = (
          res.stderr
            .trim()
            .split('\n')
            .find((l) => l.trim() !== '') ?? `exit status ${res.code}`
        ).slice(0, 300);
        next = { ...this.view, status: 'degraded', reason: `SSH works but virsh failed: ${why}`, pendingHostKey: null };
      } else {
        const parsed = parseVirshList(res.stdout);
        next = {
          ...this.view,
          status: 'ok',
          reason: parsed.warnings.length ? parsed.warnings.join('; ') : null,
          lastSeen: now(),
          pendingHostKey: null,
          vms: parsed.items.map((d) => ({ hostId: this.config.id, ...d })),
        };
      }
    } catch (e) {
      next = this.viewForError(e);
    }
    this.view = next;
    this.deps.onUpdate(next);
    return next;
  }

  private viewForError(e: unknown): HostView {
    this.session?.close();
    this.session = null;
    const message = e instanceof Error ? e.message : String(e);
    if (e instanceof SshError && e.kind === 'hostkey-unknown') {
      return {
        ...this.view,
        status: 'hostkey-unknown',
        reason: 'The host presented a key VirtDeck has not seen. Compare its fingerprint with the host, then trust it.',
        pendingHostKey: { algorithm: e.extra.algorithm ?? 'unknown', fingerprint: e.extra.fingerprint ?? '' },
      };
    }
    if (e instanceof SshError && e.kind === 'hostkey-mismatch') {
      return { ...this.view, status: 'hostkey-mismatch', reason: message, pendingHostKey: null };
    }
    return { ...this.view, status: 'unreachable', reason: message, pendingHostKey: null };
  }
}
