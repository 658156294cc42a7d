// What the preload exposes to the renderer: send/onMessage on the one channel, each message
// checked against the contract's message shapes. No Node, no fs, no other channel.
import { anyMessage, MAX_MESSAGE_BYTES } from '../../shared/rpc/messages';
import type { ClientMessage, ServerMessage } from '../../shared/rpc/messages';
import { IPC_CHANNEL } from '../../shared/rpc/ipc-channel';

/** The slice of Electron's ipcRenderer the bridge uses (a fake stands in for it in tests). */
export interface IpcRendererLike {
  send(channel: string, message: unknown): void;
  on(channel: string, listener: (event: unknown, message: unknown) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, message: unknown) => void): unknown;
}

export interface VirtDeckBridge {
  send(message: ClientMessage): void;
  onMessage(receiver: (message: ServerMessage) => void): () => void;
}

function tooLarge(message: unknown): boolean {
  try {
    return JSON.stringify(message).length > MAX_MESSAGE_BYTES;
  } catch {
    return true;
  }
}

export function createBridge(ipc: IpcRendererLike): VirtDeckBridge {
  return {
    send(message) {
      const parsed = anyMessage.safeParse(message);
      if (!parsed.success || (parsed.data.t !== 'req' && parsed.data.t !== 'cancel') || tooLarge(message)) {
        throw new TypeError('virtdeck bridge: refusing a malformed message');
      }
      ipc.send(IPC_CHANNEL, parsed.data);
    },
    onMessage(receiver) {
      const listener = (_event: unknown, message: unknown) => {
        const parsed = anyMessage.safeParse(message);
        if (parsed.success && (parsed.data.t === 'res' || parsed.data.t === 'err' || parsed.data.t === 'evt')) {
          receiver(parsed.data);
        }
      };
      ipc.on(IPC_CHANNEL, listener);
      return () => {
        ipc.removeListener(IPC_CHANNEL, listener);
      };
    },
  };
}
