// Typed publish/subscribe for contract events inside the core; every connection listens to it.
import type { EventName, Payload } from '../contract/api';

export type EventListener = <E extends EventName>(event: E, payload: Payload<E>) => void;

export class EventHub {
  private readonly listeners = new Set<EventListener>();

  emit<E extends EventName>(event: E, payload: Payload<E>): void {
    for (const listener of this.listeners) {
      try {
        listener(event, payload);
      } catch {
        // One broken subscriber (e.g. a closed socket) must not stop delivery to the others.
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
