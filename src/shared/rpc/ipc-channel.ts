// The single Electron IPC channel the contract travels on; the preload exposes nothing else.
export const IPC_CHANNEL = 'virtdeck:rpc';
