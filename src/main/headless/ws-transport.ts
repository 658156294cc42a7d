// Server end of the contract over one WebSocket: JSON text frames, validated by the RPC server.
import type { WebSocket } from 'ws';
import type { ServerMessage } from '../../shared/rpc/messages';
import type { Transport } from '../../shared/rpc/transport';

export function webSocketServerTransport(ws: WebSocket): Transport<unknown, ServerMessage> {
  return {
    send(message) {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    },
    onMessage(receiver) {
      const listener = (data: Buffer, isBinary: boolean) => {
        let parsed: unknown;
        try {
          parsed = isBinary ? null : JSON.parse(data.toString('utf8'));
        } catch {
          parsed = null; // reaches the server as a malformed message and is answered as one
        }
        receiver(parsed);
      };
      ws.on('message', listener);
      return () => ws.off('message', listener);
    },
    onClose(listener) {
      ws.on('close', listener);
      return () => ws.off('close', listener);
    },
  };
}
