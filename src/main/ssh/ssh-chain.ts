// Builds the chain of sessions that reaches a target: each ProxyJump bastion carries the TCP
// stream of the next hop (forwardOut), the last one the target's. Closing the chain closes all.
import type { HostKeyVerifier } from './host-key-verifier';
import type { ConnectLimiter } from './connect-limiter';
import { SshSession } from './ssh-session';
import type { SshAuth } from './ssh-session';
import type { ResolvedTarget, SshHop } from './ssh-target';

export interface ChainOptions {
  target: ResolvedTarget;
  verifier: HostKeyVerifier;
  limiter?: ConnectLimiter | undefined;
  /** Secrets for the target itself (bastions use keys and the agent only). */
  password?: string | undefined;
  passphrase?: string | undefined;
  agent?: string | undefined;
  connectTimeoutMs?: number;
}

export class SshChain {
  readonly sessions: SshSession[];

  constructor(opts: ChainOptions) {
    const hops: SshHop[] = [...opts.target.jumps, opts.target];
    const limiter = opts.limiter; // every handshake of the chain goes through the fleet-wide limit
    const sessions: SshSession[] = [];
    hops.forEach((hop, i) => {
      const isTarget = i === hops.length - 1;
      const auth: SshAuth = {
        identityFiles: hop.identityFiles,
        agent: opts.agent,
        ...(isTarget ? { password: opts.password, passphrase: opts.passphrase } : {}),
      };
      const previous = sessions[i - 1];
      const session = new SshSession({
        address: hop.address,
        port: hop.port,
        user: hop.user,
        auth,
        verifyHostKey: (blob) => opts.verifier.verify(hop.address, hop.port, blob),
        ...(previous ? { openStream: () => previous.forwardOut(hop.address, hop.port) } : {}),
        ...(opts.connectTimeoutMs ? { connectTimeoutMs: opts.connectTimeoutMs } : {}),
        ...(limiter ? { gate: <T>(task: () => Promise<T>) => limiter.run(task) } : {}),
      });
      sessions.push(session);
    });
    this.sessions = sessions;
  }

  /** The session on the target host. */
  get target(): SshSession {
    return this.sessions[this.sessions.length - 1] as SshSession;
  }

  close(): void {
    for (const s of [...this.sessions].reverse()) s.close();
  }
}
