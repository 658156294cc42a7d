// Electron entry point: the thin desktop shell around the same core that serve mode runs.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, ipcMain, session, shell } from 'electron';
import { serveConnection } from '../../shared/rpc/server';
import { CONTENT_SECURITY_POLICY } from '../headless/security-headers';
import { createServices } from '../services';
import { VERSION } from '../version';
import { ipcServerTransport } from './ipc-transport';
import { mainWindowOptions } from './window-options';

const rendererIndex = join(__dirname, '../renderer/index.html');
const devUrl = process.env.ELECTRON_RENDERER_URL;
const appUrlPrefix = devUrl ?? pathToFileURL(join(__dirname, '../renderer')).href;
const isAppUrl = (url: string) => url.startsWith(appUrlPrefix);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  const services = createServices({ dataDir: app.getPath('userData'), mode: 'electron', version: VERSION });
  let window: BrowserWindow | null = null;

  const createWindow = () => {
    window = new BrowserWindow(mainWindowOptions(join(__dirname, '../preload/index.js')));
    const win = window;
    serveConnection(ipcServerTransport(ipcMain, win.webContents, isAppUrl), services.handlers, services.hub);
    win.webContents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    win.webContents.setWindowOpenHandler(({ url }) => {
      if (/^https:\/\//.test(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
    win.once('ready-to-show', () => win.show());
    win.on('closed', () => {
      window = null;
    });
    if (devUrl) void win.loadURL(devUrl);
    else void win.loadFile(rendererIndex);
  };

  app.on('second-instance', () => {
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });

  void app.whenReady().then(() => {
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({
        responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
      });
    });
    session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) =>
      callback(permission === 'notifications'),
    );
    services.start();
    createWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow();
    });
  });

  let stopping = false;
  app.on('before-quit', (event) => {
    if (stopping) return;
    stopping = true;
    event.preventDefault();
    void services.stop().finally(() => app.exit(0));
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  process.once('SIGTERM', () => app.quit());
}
