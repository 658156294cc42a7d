// Typed client of the contract over any transport: calls return the method's result type,
// reject with RpcError; an AbortSignal cancels the call on the server too.
import type { EventName, MethodName, ParamsIn, Payload, Result } from '../contract/api';
import { RpcError } from '../contract/errors';
import { serverMessage } from './messages';
import type { ClientMessage } from './messages';
import type { Transport } from './transport';

export interface CallOptions {
  signal?: AbortSignal;
}

export interface Client {
  call<M extends MethodName>(method: M, params: ParamsIn<M>, options?: CallOptions): Promise<Result<M>>;
  on<E extends EventName>(event: E, listener: (payload: Payload<E>) => void): () => void;
  close(): void;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: RpcError) => void;
  cleanup: () => void;
}

export function createClient(transport: Transport<unknown, ClientMessage>): Client {
  let nextId = 1;
  let closed = false;
  const pending = new Map<number, Pending>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();

  const offMessage = transport.onMessage((raw) => {
    const parsed = serverMessage.safeParse(raw);
    if (!parsed.success) return; // a server we cannot understand; nothing to route it to
    const msg = parsed.data;
    if (msg.t === 'evt') {
      listeners.get(msg.event)?.forEach((l) => l(msg.payload));
      return;
    }
    if (msg.id === null) return;
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    p.cleanup();
    if (msg.t === 'res') p.resolve(msg.result);
    else p.reject(new RpcError(msg.error.code, msg.error.message, msg.error.details));
  });

  const shutdown = (why: string) => {
    if (closed) return;
    closed = true;
    offMessage();
    offClose();
    for (const p of pending.values()) {
      p.cleanup();
      p.reject(new RpcError('unavailable', why));
    }
    pending.clear();
  };
  const offClose = transport.onClose(() => shutdown('connection to VirtDeck lost'));

  return {
    call(method, params, options = {}) {
      if (closed) return Promise.reject(new RpcError('unavailable', 'client is closed'));
      const { signal } = options;
      if (signal?.aborted) return Promise.reject(new RpcError('cancelled', `${method}: cancelled`));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const onAbort = () => transport.send({ t: 'cancel', id });
        signal?.addEventListener('abort', onAbort, { once: true });
        pending.set(id, {
          resolve: resolve as (v: unknown) => void,
          reject,
          cleanup: () => signal?.removeEventListener('abort', onAbort),
        });
        transport.send({ t: 'req', id, method, params });
      });
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const l = listener as (payload: unknown) => void;
      set.add(l);
      return () => set.delete(l);
    },
    close() {
      shutdown('client is closed');
    },
  };
}
