// A faithful fake of Electron's IPC relay for the contract suite: ipcMain, one window's
// webContents and the renderer's ipcRenderer, with structured-clone copies and asynchronous
// delivery as in Electron, and the sender/senderFrame facts the main side checks.
import type { IpcMainEventLike, IpcMainLike, WebContentsLike } from '../../src/main/app/ipc-transport';
import type { IpcRendererLike } from '../../src/main/preload/bridge';

type MainListener = (event: IpcMainEventLike, message: unknown) => void;
type RendererListener = (event: unknown, message: unknown) => void;

export class FakeIpcMain implements IpcMainLike {
  private readonly listeners = new Map<string, Set<MainListener>>();
  on(channel: string, listener: MainListener) {
    let set = this.listeners.get(channel);
    if (!set) this.listeners.set(channel, (set = new Set()));
    set.add(listener);
    return this;
  }
  removeListener(channel: string, listener: MainListener) {
    this.listeners.get(channel)?.delete(listener);
    return this;
  }
  emit(channel: string, event: IpcMainEventLike, message: unknown) {
    this.listeners.get(channel)?.forEach((l) => l(event, message));
  }
  listenerCount(channel: string): number {
    return this.listeners.get(channel)?.size ?? 0;
  }
}

export class FakeWebContents implements WebContentsLike {
  private destroyed = false;
  private readonly destroyListeners = new Set<() => void>();
  readonly rendererListeners = new Map<string, Set<RendererListener>>();
  send(channel: string, message: unknown) {
    if (this.destroyed) throw new Error('Object has been destroyed');
    const copy = structuredClone(message);
    setImmediate(() => this.rendererListeners.get(channel)?.forEach((l) => l({ sender: 'main' }, copy)));
  }
  isDestroyed() {
    return this.destroyed;
  }
  once(_event: 'destroyed', listener: () => void) {
    this.destroyListeners.add(listener);
    return this;
  }
  destroy() {
    this.destroyed = true;
    this.destroyListeners.forEach((l) => l());
  }
}

export class FakeIpcRenderer implements IpcRendererLike {
  constructor(
    private readonly main: FakeIpcMain,
    private readonly contents: FakeWebContents,
    private readonly frameUrl: string,
  ) {}
  send(channel: string, message: unknown) {
    const copy = structuredClone(message); // Electron throws on functions and the like, as this does
    setImmediate(() => this.main.emit(channel, { sender: this.contents, senderFrame: { url: this.frameUrl } }, copy));
  }
  on(channel: string, listener: RendererListener) {
    let set = this.contents.rendererListeners.get(channel);
    if (!set) this.contents.rendererListeners.set(channel, (set = new Set()));
    set.add(listener);
    return this;
  }
  removeListener(channel: string, listener: RendererListener) {
    this.contents.rendererListeners.get(channel)?.delete(listener);
    return this;
  }
}
