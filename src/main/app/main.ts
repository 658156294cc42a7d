// Electron entry point: the thin desktop shell around the same core that serve mode runs.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  nativeImage,
  Notification,
  safeStorage,
  screen,
  session,
  shell,
  Tray,
} from 'electron';
import { serveConnection } from '../../shared/rpc/server';
import { tuneHeapForLongRun } from '../heap-tuning';
import { createServices } from '../services';
import type { Services } from '../services';
import { VERSION } from '../version';
import { startAlertNotices } from './alert-notices';
import { appMenuTemplate } from './app-menu';
import { ipcServerTransport } from './ipc-transport';
import { createDesktopSecretStore } from './safe-storage-secrets';
import { installShutdown } from './shutdown';
import { startTrayStatus } from './tray-status';
import { guardNavigation, secureSession } from './web-security';
import { mainWindowOptions } from './window-options';
import { WindowStateStore } from './window-state';

const rendererIndex = join(__dirname, '../renderer/index.html');
const devUrl = process.env.ELECTRON_RENDERER_URL;
const appUrlPrefix = devUrl ?? pathToFileURL(join(__dirname, '../renderer')).href;
const isAppUrl = (url: string) => url.startsWith(appUrlPrefix);
// packaged: electron-builder's extraResources; from a checkout: the repository's resources/
const iconsDir = app.isPackaged ? join(process.resourcesPath, 'icons') : join(app.getAppPath(), 'resources', 'icons');
const trayIconFile = { darwin: '16x16.png', win32: '32x32.png' }[process.platform as string] ?? '24x24.png';
const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
// the router uses hash history; this constant script is all main ever runs in the page
const SHOW_ALERTS_SCRIPT = "location.hash = '#/alerts'";

if (!app.requestSingleInstanceLock()) {
  app.quit(); // the first instance gets 'second-instance' and comes to the front
} else {
  const dataDir = app.getPath('userData');
  let services: Services | null = null;
  let window: BrowserWindow | null = null;
  let saveWindowState: (() => void) | null = null;
  const windowState = new WindowStateStore(dataDir, log);

  const createWindow = (): BrowserWindow => {
    const workAreas = [screen.getPrimaryDisplay(), ...screen.getAllDisplays()].map((d) => d.workArea);
    const saved = windowState.load(workAreas);
    const win = new BrowserWindow(
      mainWindowOptions(join(__dirname, '../preload/index.js'), join(iconsDir, '512x512.png'), saved?.bounds),
    );
    window = win;
    if (saved?.maximized) win.maximize();
    saveWindowState = windowState.track(win);
    if (services)
      serveConnection(ipcServerTransport(ipcMain, win.webContents, isAppUrl), services.handlers, services.hub);
    guardNavigation(win.webContents, isAppUrl, (url) => void shell.openExternal(url));
    win.once('ready-to-show', () => win.show());
    win.on('closed', () => {
      if (window !== win) return;
      window = null;
      saveWindowState = null;
    });
    if (devUrl) void win.loadURL(devUrl);
    else void win.loadFile(rendererIndex);
    return win;
  };

  const showWindow = (): BrowserWindow => {
    if (!window) return createWindow();
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
    return window;
  };
  const showAlerts = () => void showWindow().webContents.executeJavaScript(SHOW_ALERTS_SCRIPT);

  app.on('second-instance', () => void showWindow());
  // before the shutdown's handler: app.exit() ends the process without closing the window
  app.on('before-quit', () => saveWindowState?.());
  installShutdown({ app, stop: () => services?.stop() ?? Promise.resolve(), process, log });

  void app.whenReady().then(() => {
    secureSession(session.defaultSession);
    // safeStorage can only tell whether the keychain works once the app is ready
    const secretStore = createDesktopSecretStore(safeStorage, dataDir, log);
    tuneHeapForLongRun(); // the same as serve's (heap-tuning.ts): the collector runs in this process
    services = createServices({ dataDir, mode: 'electron', version: VERSION, log, secretStore });
    const core = services;
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        appMenuTemplate(process.platform, {
          showAbout: () =>
            void dialog.showMessageBox({
              type: 'info',
              title: 'About VirtDeck',
              message: `VirtDeck ${VERSION}`,
              detail: `Operator console for KVM/libvirt fleets.\nElectron ${process.versions.electron}, Node ${process.versions.node}\nData: ${dataDir}`,
              icon: nativeImage.createFromPath(join(iconsDir, '128x128.png')),
            }),
          showAlerts,
          openDataDir: () => void shell.openPath(dataDir),
        }),
      ),
    );
    startAlertNotices({
      hub: core.hub,
      isSupported: () => Notification.isSupported(),
      create: (o) => new Notification({ ...o, icon: join(iconsDir, '256x256.png') }),
      onClick: showAlerts,
    });
    try {
      startTrayStatus({
        tray: new Tray(nativeImage.createFromPath(join(iconsDir, trayIconFile))),
        hub: core.hub,
        initial: core.warn.active(),
        buildMenu: (template) => Menu.buildFromTemplate(template),
        open: () => void showWindow(),
        quit: () => app.quit(),
      });
    } catch (e) {
      log(`tray not available: ${(e as Error).message}`); // some Linux desktops have none
    }
    core.start();
    createWindow();
    app.on('activate', () => void showWindow());
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
