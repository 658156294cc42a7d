// Serves the contract on one connection: validates every message and its params, runs the
// handler, answers with a result or a coded error, supports cancellation, forwards events.
import { api, isMethodName } from '../contract/api';
import type { MethodName, ParamsOut, Result } from '../contract/api';
import { RpcError, isRpcError } from '../contract/errors';
import type { RpcErrorBody } from '../contract/errors';
import { clientMessage } from './messages';
import type { ServerMessage } from './messages';
import type { EventHub } from './event-hub';
import type { Transport } from './transport';

export interface CallContext {
  /** Aborted when the client cancels the call or goes away. */
  signal: AbortSignal;
}

export type Handler<M extends MethodName> = (params: ParamsOut<M>, ctx: CallContext) => Promise<Result<M>> | Result<M>;

/** One handler per method: an object missing a method fails to compile (`satisfies Handlers`). */
export type Handlers = { [M in MethodName]: Handler<M> };

export interface ServeOptions {
  /** Called with unexpected (non-RpcError) failures; they reach the client as 'internal'. */
  onInternalError?: (method: string, error: unknown) => void;
}

function describeIssues(error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> }) {
  return error.issues.map((i) => ({ field: i.path.map(String).join('.') || '(params)', message: i.message }));
}

export function serveConnection(
  transport: Transport<unknown, ServerMessage>,
  handlers: Handlers,
  hub: EventHub,
  options: ServeOptions = {},
): () => void {
  const inflight = new Map<number, AbortController>();
  let closed = false;

  const send = (message: ServerMessage) => {
    if (!closed) transport.send(message);
  };
  const fail = (id: number | null, body: RpcErrorBody) => send({ t: 'err', id, error: body });

  const run = async <M extends MethodName>(id: number, method: M, rawParams: unknown) => {
    const parsed = api[method].params.safeParse(rawParams ?? {});
    if (!parsed.success) {
      const fields = describeIssues(parsed.error);
      const summary = fields.map((f) => `${f.field}: ${f.message}`).join('; ');
      fail(id, { code: 'invalid_params', message: `${method}: ${summary}`, details: { fields } });
      return;
    }
    const controller = new AbortController();
    inflight.set(id, controller);
    try {
      const handler = handlers[method] as Handler<M>;
      const result = await handler(parsed.data as ParamsOut<M>, { signal: controller.signal });
      if (controller.signal.aborted) fail(id, { code: 'cancelled', message: `${method}: cancelled` });
      else send({ t: 'res', id, result });
    } catch (error) {
      if (controller.signal.aborted) fail(id, { code: 'cancelled', message: `${method}: cancelled` });
      else if (isRpcError(error)) fail(id, error.toBody());
      else {
        options.onInternalError?.(method, error);
        fail(id, { code: 'internal', message: `${method}: internal error` });
      }
    } finally {
      inflight.delete(id);
    }
  };

  const offMessage = transport.onMessage((raw) => {
    const parsed = clientMessage.safeParse(raw);
    if (!parsed.success) {
      const maybeId = (raw as { id?: unknown } | null)?.id;
      fail(typeof maybeId === 'number' ? maybeId : null, {
        code: 'invalid_message',
        message: 'malformed message: expected {t:"req",id,method,params} or {t:"cancel",id}',
      });
      return;
    }
    const msg = parsed.data;
    if (msg.t === 'cancel') {
      inflight.get(msg.id)?.abort(new RpcError('cancelled', 'cancelled by client'));
      return;
    }
    if (!isMethodName(msg.method)) {
      fail(msg.id, { code: 'unknown_method', message: `unknown method '${msg.method}'` });
      return;
    }
    void run(msg.id, msg.method, msg.params);
  });

  const offEvents = hub.subscribe((event, payload) => send({ t: 'evt', event, payload }));

  const close = () => {
    if (closed) return;
    closed = true;
    offMessage();
    offEvents();
    offClose();
    for (const c of inflight.values()) c.abort(new RpcError('cancelled', 'connection closed'));
    inflight.clear();
  };
  const offClose = transport.onClose(close);
  return close;
}
