// "Test connection": tries a host step by step (TCP, host key, auth, virsh) without saving it,
// so an admin sees exactly where it fails. Cancellable through the caller's AbortSignal.
import { readFile } from 'node:fs/promises';
import { connect as netConnect } from 'node:net';
import type { ConnectionTestStep, ParamsOut } from '../../shared/contract/api';
import { RpcError } from '../../shared/contract/errors';
import { virshListAll } from '../libvirt/virsh-commands';
import type { HostKeyStore, HostKeyVerdict } from '../ssh/host-key-store';
import { SshError } from '../ssh/ssh-errors';
import { SshSession } from '../ssh/ssh-session';

function tcpProbe(address: string, port: number, timeoutMs: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const sock = netConnect({ host: address, port });
    const end = (e?: Error) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      sock.destroy();
      if (e) reject(e);
      else resolve();
    };
    const onAbort = () => end(new RpcError('cancelled', 'cancelled'));
    const timer = setTimeout(() => end(new Error(`no TCP answer within ${timeoutMs} ms`)), timeoutMs);
    signal.addEventListener('abort', onAbort, { once: true });
    sock.once('connect', () => end());
    sock.once('error', (e) => end(e));
  });
}

function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new RpcError('cancelled', 'cancelled'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new RpcError('cancelled', 'cancelled'));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export async function testConnection(
  input: ParamsOut<'hosts.test'>,
  hostKeys: HostKeyStore,
  signal: AbortSignal,
  timeoutMs = 5000,
): Promise<ConnectionTestStep[]> {
  const steps: ConnectionTestStep[] = [];
  const target = `${input.address}:${input.port}`;
  try {
    await tcpProbe(input.address, input.port, timeoutMs, signal);
    steps.push({ step: 'tcp', ok: true, detail: `${target} accepts connections` });
  } catch (e) {
    if (e instanceof RpcError) throw e;
    steps.push({ step: 'tcp', ok: false, detail: `${target}: ${(e as Error).message}` });
    return steps;
  }
  let privateKey: Buffer | undefined;
  if (input.identityFile) {
    try {
      privateKey = await readFile(input.identityFile);
    } catch (e) {
      steps.push({
        step: 'auth',
        ok: false,
        detail: `key file ${input.identityFile}: ${(e as NodeJS.ErrnoException).code}`,
      });
      return steps;
    }
  }
  let verdict: HostKeyVerdict | null = null;
  const session = new SshSession({
    target: { address: input.address, port: input.port, user: input.user, ...(privateKey ? { privateKey } : {}) },
    verifyHostKey: (algorithm, fingerprint) =>
      (verdict = hostKeys.check(input.address, input.port, algorithm, fingerprint)),
    connectTimeoutMs: timeoutMs,
  });
  try {
    await raceAbort(session.connect(), signal);
    steps.push({ step: 'hostkey', ok: true, detail: 'host key is trusted' });
    steps.push({ step: 'auth', ok: true, detail: `logged in as ${input.user}` });
    const res = await session.exec(virshListAll(input.uri), { timeoutMs, signal });
    steps.push(
      res.code === 0
        ? { step: 'virsh', ok: true, detail: `virsh -c ${input.uri} answers` }
        : { step: 'virsh', ok: false, detail: res.stderr.trim().split('\n')[0] ?? `exit status ${res.code}` },
    );
  } catch (e) {
    if (e instanceof RpcError) throw e;
    const err = e instanceof SshError ? e : new SshError('connect', String(e));
    if (err.kind === 'hostkey-unknown' || err.kind === 'hostkey-mismatch') {
      steps.push({ step: 'hostkey', ok: false, detail: err.message });
    } else if (verdict) {
      steps.push({ step: 'hostkey', ok: true, detail: 'host key is trusted' });
      steps.push({ step: 'auth', ok: false, detail: err.message });
    } else steps.push({ step: 'hostkey', ok: false, detail: err.message });
  } finally {
    session.close();
  }
  return steps;
}
