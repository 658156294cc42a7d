// The three ways a client reaches the core, each set up against the same real services:
// in-memory, Electron IPC (through the real preload bridge over the fake relay), WebSocket.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { ipcServerTransport } from '../../src/main/app/ipc-transport';
import { startServer } from '../../src/main/headless/http-server';
import { createBridge } from '../../src/main/preload/bridge';
import { createServices } from '../../src/main/services';
import type { Services } from '../../src/main/services';
import { ipcClientTransport } from '../../src/renderer/api/ipc-transport';
import { webSocketClientTransport } from '../../src/renderer/api/ws-transport';
import { createClient } from '../../src/shared/rpc/client';
import type { Client } from '../../src/shared/rpc/client';
import { createMemoryPair } from '../../src/shared/rpc/memory-transport';
import type { ClientMessage, ServerMessage } from '../../src/shared/rpc/messages';
import { serveConnection } from '../../src/shared/rpc/server';
import { FakeIpcMain, FakeIpcRenderer, FakeWebContents } from './fake-electron-ipc';
import { tempDir } from './temp';

export interface Harness {
  client: Client;
  services: Services;
  dataDir: string;
  /** Sends a raw, possibly malformed, message the way this transport would carry it. */
  sendRaw?: (message: unknown) => void;
  close(): Promise<void>;
}

export type TransportName = 'memory' | 'ipc' | 'websocket';

export { tempDir } from './temp';

export async function connect(kind: TransportName): Promise<Harness> {
  const dataDir = tempDir('data');
  const services = createServices({ dataDir, mode: 'headless', version: '0.0.0-test' });
  if (kind === 'memory') {
    const pair = createMemoryPair<ClientMessage, ServerMessage>();
    const stop = serveConnection(pair.right, services.handlers, services.hub);
    const client = createClient(pair.left);
    return {
      client,
      services,
      dataDir,
      sendRaw: (m) => pair.left.send(m as ClientMessage),
      close: async () => {
        client.close();
        stop();
        pair.close();
        await services.stop();
      },
    };
  }
  if (kind === 'ipc') {
    const main = new FakeIpcMain();
    const contents = new FakeWebContents();
    const appUrl = 'file:///opt/virtdeck/out/renderer/index.html';
    const stop = serveConnection(
      ipcServerTransport(main, contents, (u) => u.startsWith('file:///opt/virtdeck/out/renderer/')),
      services.handlers,
      services.hub,
    );
    const renderer = new FakeIpcRenderer(main, contents, appUrl);
    const client = createClient(ipcClientTransport(createBridge(renderer)));
    return {
      client,
      services,
      dataDir,
      // below the bridge: what a compromised page could push straight into the relay
      sendRaw: (m) => renderer.send('virtdeck:rpc', m),
      close: async () => {
        client.close();
        stop();
        contents.destroy();
        await services.stop();
      },
    };
  }
  const rendererDir = tempDir('renderer');
  mkdirSync(rendererDir, { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>VirtDeck test</title>');
  const running = await startServer({
    host: '127.0.0.1',
    port: 0,
    token: 'test-token-0123456789abcdef',
    rendererDir,
    services,
    log: () => undefined,
  });
  const socket = new WebSocket(`ws://127.0.0.1:${running.port}/rpc?token=test-token-0123456789abcdef`);
  const client = createClient(webSocketClientTransport(socket));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return {
    client,
    services,
    dataDir,
    sendRaw: (m) => socket.send(typeof m === 'string' ? m : JSON.stringify(m)),
    close: async () => {
      client.close();
      socket.close();
      await running.close();
      await services.stop();
    },
  };
}
