// In-memory transport pair for tests and same-process use: asynchronous, copied delivery.
import type { Transport } from './transport';
import { cloneMessage } from './transport';

export interface MemoryPair<A, B> {
  /** The end that sends A and receives B. */
  left: Transport<B, A>;
  /** The end that sends B and receives A. */
  right: Transport<A, B>;
  close(): void;
}

export function createMemoryPair<A, B>(): MemoryPair<A, B> {
  const toRight = new Set<(m: A) => void>();
  const toLeft = new Set<(m: B) => void>();
  const closers = new Set<() => void>();
  let closed = false;
  const end = <I, O>(outbox: Set<(m: O) => void>, inbox: Set<(m: I) => void>): Transport<I, O> => ({
    send(message) {
      if (closed) return;
      const copy = cloneMessage(message);
      queueMicrotask(() => outbox.forEach((r) => r(copy)));
    },
    onMessage(receiver) {
      inbox.add(receiver);
      return () => inbox.delete(receiver);
    },
    onClose(listener) {
      closers.add(listener);
      return () => closers.delete(listener);
    },
  });
  return {
    left: end<B, A>(toRight, toLeft),
    right: end<A, B>(toLeft, toRight),
    close() {
      if (closed) return;
      closed = true;
      closers.forEach((c) => c());
    },
  };
}
