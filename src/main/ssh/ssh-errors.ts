// Failure kinds of an SSH session, each with a message an admin can act on.

export type SshErrorKind =
  'connect' | 'timeout' | 'auth' | 'hostkey-unknown' | 'hostkey-mismatch' | 'closed' | 'config';

export class SshError extends Error {
  constructor(
    readonly kind: SshErrorKind,
    message: string,
    readonly extra: {
      algorithm?: string;
      fingerprint?: string;
      expected?: string;
      host?: string;
      port?: number;
      /** Login failed for want of this secret (see HostView.needsSecret). */
      needs?: 'password' | 'passphrase';
    } = {},
  ) {
    super(message);
    this.name = 'SshError';
  }
}

/** Turns low-level socket/ssh2 errors into SshError with a plain-language message. */
export function describeConnectError(error: unknown, target: string): SshError {
  if (error instanceof SshError) return error;
  const e = error as { code?: string; level?: string; message?: string };
  const msg = e.message ?? String(error);
  switch (e.code) {
    case 'ECONNREFUSED':
      return new SshError('connect', `${target}: connection refused (is sshd running on that port?)`);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new SshError('connect', `${target}: host unreachable`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new SshError('connect', `${target}: name does not resolve`);
    case 'ECONNRESET':
      return new SshError('connect', `${target}: connection reset by peer`);
    default:
      break;
  }
  if (e.level === 'client-authentication') {
    return new SshError(
      'auth',
      `${target}: authentication failed (the server accepted none of the offered keys or passwords)`,
    );
  }
  if (e.level === 'client-timeout' || /timed out/i.test(msg)) {
    return new SshError('timeout', `${target}: timed out waiting for the SSH handshake`);
  }
  return new SshError('connect', `${target}: ${msg}`);
}
