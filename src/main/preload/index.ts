// Preload (sandboxed): exposes window.virtdeck = the one validated channel, nothing else.
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge';

contextBridge.exposeInMainWorld('virtdeck', createBridge(ipcRenderer));
