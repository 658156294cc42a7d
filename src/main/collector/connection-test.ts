// "Test connection": tries a host step by step (TCP, host key, auth, virsh) without saving it,
// so an admin sees exactly where it fails. Cancellable through the caller's AbortSignal.
import { connect as netConnect } from 'node:net';
import type { ConnectionTestStep, ParamsOut } from '../../shared/contract/api';
import { RpcError } from '../../shared/contract/errors';
import { virshListAll } from '../libvirt/virsh-commands';
import type { HostKeyVerifier } from '../ssh/host-key-verifier';
import { SshChain } from '../ssh/ssh-chain';
import { SshError } from '../ssh/ssh-errors';
import { resolveTarget } from '../ssh/ssh-target';
import type { ResolvedTarget } from '../ssh/ssh-target';

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

export interface ConnectionTestDeps {
  verifier: HostKeyVerifier;
  sshConfigText: () => string | null;
}

export async function testConnection(
  input: ParamsOut<'hosts.test'>,
  deps: ConnectionTestDeps,
  signal: AbortSignal,
): Promise<ConnectionTestStep[]> {
  const timeoutMs = input.timeoutSec * 1000;
  const steps: ConnectionTestStep[] = [];
  let target: ResolvedTarget;
  try {
    target = resolveTarget(
      { host: input.address, port: input.port, user: input.user, identityFile: input.identityFile, jump: input.jump },
      { sshConfigText: deps.sshConfigText() },
    );
  } catch (e) {
    steps.push({ step: 'tcp', ok: false, detail: `cannot resolve the SSH target: ${(e as Error).message}` });
    return steps;
  }
  const first = target.jumps[0] ?? target;
  const where = `${first.address}:${first.port}${target.jumps.length ? ` (first jump host)` : ''}`;
  try {
    await tcpProbe(first.address, first.port, timeoutMs, signal);
    steps.push({ step: 'tcp', ok: true, detail: `${where} accepts connections` });
  } catch (e) {
    if (e instanceof RpcError) throw e;
    steps.push({ step: 'tcp', ok: false, detail: `${where}: ${(e as Error).message}` });
    return steps;
  }
  const chain = new SshChain({
    target,
    verifier: deps.verifier,
    password: input.password,
    passphrase: input.passphrase,
    agent: process.env.SSH_AUTH_SOCK,
    connectTimeoutMs: timeoutMs,
  });
  try {
    await raceAbort(chain.target.connect(), signal);
    steps.push({ step: 'hostkey', ok: true, detail: 'host key is trusted' });
    steps.push({ step: 'auth', ok: true, detail: `logged in as ${target.user}` });
    const res = await chain.target.exec(virshListAll(input.uri), { timeoutMs, signal });
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
    } else if (err.kind === 'auth' || err.kind === 'config') {
      steps.push({ step: 'hostkey', ok: true, detail: 'host key is trusted' });
      steps.push({ step: 'auth', ok: false, detail: err.message });
    } else steps.push({ step: 'hostkey', ok: false, detail: err.message });
  } finally {
    chain.close();
  }
  return steps;
}
