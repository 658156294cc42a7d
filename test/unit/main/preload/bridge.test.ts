// The preload bridge and the main-side relay accept only well-formed messages of the right
// direction, from the app's own page in the right window.
import { describe, expect, it } from 'vitest';
import { ipcServerTransport } from '../../../../src/main/app/ipc-transport';
import { createBridge } from '../../../../src/main/preload/bridge';
import { FakeIpcMain, FakeIpcRenderer, FakeWebContents } from '../../../helpers/fake-electron-ipc';

const APP = 'file:///app/out/renderer/index.html';
const isApp = (u: string) => u.startsWith('file:///app/out/renderer/');
const tick = () => new Promise((r) => setTimeout(r, 10));

describe('preload bridge', () => {
  it('refuses malformed or wrong-direction messages before they reach IPC', () => {
    const main = new FakeIpcMain();
    const bridge = createBridge(new FakeIpcRenderer(main, new FakeWebContents(), APP));
    expect(() => bridge.send({ t: 'req', id: -1, method: 'x', params: {} })).toThrow(/malformed/);
    expect(() => bridge.send({ t: 'res', id: 1, result: 1 } as never)).toThrow(/malformed/);
    expect(() => bridge.send({ t: 'req', id: 1, method: 'app.info', params: {}, extra: 1 } as never)).toThrow(
      /malformed/,
    );
    expect(() => bridge.send({ t: 'req', id: 1, method: 'app.info', params: {} })).not.toThrow();
  });

  it('delivers only server messages to the page', async () => {
    const main = new FakeIpcMain();
    const contents = new FakeWebContents();
    const bridge = createBridge(new FakeIpcRenderer(main, contents, APP));
    const got: unknown[] = [];
    const off = bridge.onMessage((m) => got.push(m));
    contents.send('virtdeck:rpc', { t: 'req', id: 1, method: 'x', params: {} });
    contents.send('virtdeck:rpc', { junk: true });
    contents.send('virtdeck:rpc', { t: 'evt', event: 'hosts.changed', payload: { ids: [] } });
    await tick();
    expect(got).toEqual([{ t: 'evt', event: 'hosts.changed', payload: { ids: [] } }]);
    off();
    contents.send('virtdeck:rpc', { t: 'evt', event: 'hosts.changed', payload: { ids: [] } });
    await tick();
    expect(got).toHaveLength(1);
  });
});

describe('main-side IPC relay', () => {
  it('accepts messages only from its own window and the app page', async () => {
    const main = new FakeIpcMain();
    const mine = new FakeWebContents();
    const other = new FakeWebContents();
    const got: unknown[] = [];
    const off = ipcServerTransport(main, mine, isApp).onMessage((m) => got.push(m));
    new FakeIpcRenderer(main, mine, APP).send('virtdeck:rpc', { n: 1 });
    new FakeIpcRenderer(main, other, APP).send('virtdeck:rpc', { n: 2 });
    new FakeIpcRenderer(main, mine, 'https://evil.example/').send('virtdeck:rpc', { n: 3 });
    await tick();
    expect(got).toEqual([{ n: 1 }]);
    off();
    expect(main.listenerCount('virtdeck:rpc')).toBe(0);
  });

  it('stops sending once the window is destroyed', () => {
    const contents = new FakeWebContents();
    const t = ipcServerTransport(new FakeIpcMain(), contents, isApp);
    let closed = false;
    t.onClose(() => (closed = true));
    contents.destroy();
    expect(closed).toBe(true);
    expect(() => t.send({ t: 'evt', event: 'hosts.changed', payload: { ids: [] } })).not.toThrow();
  });
});
