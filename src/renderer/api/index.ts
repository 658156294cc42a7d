// The renderer's only door to the core: picks the transport (Electron bridge or WebSocket) and
// hands out the typed client. Stores talk to this module and nothing else.
import { ref } from 'vue';
import { createClient } from '../../shared/rpc/client';
import type { Client } from '../../shared/rpc/client';
import { ipcClientTransport } from './ipc-transport';
import type { BridgeLike } from './ipc-transport';
import { webSocketClientTransport } from './ws-transport';

declare global {
  interface Window {
    virtdeck?: BridgeLike;
  }
}

/** False once the connection to the core is lost (serve mode: the server stopped). */
export const connected = ref(true);

function connect(): Client {
  if (window.virtdeck) return createClient(ipcClientTransport(window.virtdeck));
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = new WebSocket(`${proto}//${location.host}/rpc`);
  socket.addEventListener('close', () => {
    connected.value = false;
  });
  return createClient(webSocketClientTransport(socket));
}

export const api: Client = connect();
