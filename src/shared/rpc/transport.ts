// A transport moves plain messages one way each side; the RPC layer never cares which one it is.

export interface Transport<In, Out> {
  send(message: Out): void;
  /** Registers the receiver; returns a function that removes it. */
  onMessage(receiver: (message: In) => void): () => void;
  /** Called once when the other side is gone for good. */
  onClose(listener: () => void): () => void;
}

/** Structured-clone–like copy so in-memory delivery shares no objects, as a real transport would. */
export function cloneMessage<T>(message: T): T {
  return structuredClone(message);
}
