// Main-process end of the contract over Electron IPC: one transport per window, accepting
// messages only from that window's own app frame on the one channel.
import type { ServerMessage } from '../../shared/rpc/messages';
import { IPC_CHANNEL } from '../../shared/rpc/ipc-channel';
import type { Transport } from '../../shared/rpc/transport';

export interface IpcMainEventLike {
  sender: unknown;
  senderFrame?: { url: string } | null;
}
/** The slices of ipcMain and webContents used here (a faithful fake stands in for tests). */
export interface IpcMainLike {
  on(channel: string, listener: (event: IpcMainEventLike, message: unknown) => void): unknown;
  removeListener(channel: string, listener: (event: IpcMainEventLike, message: unknown) => void): unknown;
}
export interface WebContentsLike {
  send(channel: string, message: unknown): void;
  isDestroyed(): boolean;
  once(event: 'destroyed', listener: () => void): unknown;
}

export function ipcServerTransport(
  ipcMain: IpcMainLike,
  contents: WebContentsLike,
  isAppUrl: (url: string) => boolean,
): Transport<unknown, ServerMessage> {
  return {
    send(message) {
      if (!contents.isDestroyed()) contents.send(IPC_CHANNEL, message);
    },
    onMessage(receiver) {
      const listener = (event: IpcMainEventLike, message: unknown) => {
        if (event.sender !== contents) return; // another window's connection
        if (!event.senderFrame || !isAppUrl(event.senderFrame.url)) return; // not our app's page
        receiver(message);
      };
      ipcMain.on(IPC_CHANNEL, listener);
      return () => {
        ipcMain.removeListener(IPC_CHANNEL, listener);
      };
    },
    onClose(listener) {
      contents.once('destroyed', listener);
      return () => undefined;
    },
  };
}
