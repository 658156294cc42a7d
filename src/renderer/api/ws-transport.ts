// Renderer end over a WebSocket (serve mode): JSON text frames; messages sent before the socket
// opens are queued. Works with the browser's WebSocket and with the `ws` package in tests.
import type { ClientMessage } from '../../shared/rpc/messages';
import type { Transport } from '../../shared/rpc/transport';

/** The part of the WebSocket API used here (browser and `ws` both provide it). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

const OPEN = 1;

export function webSocketClientTransport(socket: WebSocketLike): Transport<unknown, ClientMessage> {
  const queue: string[] = [];
  socket.addEventListener('open', () => {
    for (const m of queue.splice(0)) socket.send(m);
  });
  return {
    send(message) {
      const text = JSON.stringify(message);
      if (socket.readyState === OPEN) socket.send(text);
      else queue.push(text);
    },
    onMessage(receiver) {
      let active = true;
      socket.addEventListener('message', (event) => {
        if (!active || typeof event.data !== 'string') return;
        try {
          receiver(JSON.parse(event.data));
        } catch {
          // not JSON: not from a VirtDeck server; ignored
        }
      });
      return () => {
        active = false;
      };
    },
    onClose(listener) {
      let active = true;
      socket.addEventListener('close', () => active && listener());
      return () => {
        active = false;
      };
    },
  };
}
