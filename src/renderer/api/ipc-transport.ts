// Renderer end over Electron IPC: wraps the preload's window.virtdeck bridge.
import type { ClientMessage, ServerMessage } from '../../shared/rpc/messages';
import type { Transport } from '../../shared/rpc/transport';

export interface BridgeLike {
  send(message: ClientMessage): void;
  onMessage(receiver: (message: ServerMessage) => void): () => void;
}

export function ipcClientTransport(bridge: BridgeLike): Transport<unknown, ClientMessage> {
  return {
    send: (message) => bridge.send(message),
    onMessage: (receiver) => bridge.onMessage(receiver),
    onClose: () => () => undefined, // the window and the main process live and die together
  };
}
