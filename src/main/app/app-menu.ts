// The native application menu: the platform's usual App/Edit/View/Window/Help roles plus About
// and the alerts view. Pure (a template), so tests can read it without Electron.
import type { MenuItemConstructorOptions } from 'electron';

/** Re-exported so tests can name menu items without importing electron (lint-enforced). */
export type MenuItem = MenuItemConstructorOptions;

export interface AppMenuActions {
  showAbout(): void;
  showAlerts(): void;
  openDataDir(): void;
}

export function appMenuTemplate(platform: NodeJS.Platform, actions: AppMenuActions): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const about: MenuItemConstructorOptions = { label: 'About VirtDeck', click: () => actions.showAbout() };
  const template: MenuItemConstructorOptions[] = [];
  if (mac) {
    template.push({
      label: 'VirtDeck',
      submenu: [
        about,
        { type: 'separator' },
        { role: 'services' },
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { role: 'quit' },
      ],
    });
  } else {
    template.push({ label: '&File', submenu: [{ role: 'quit' }] });
  }
  template.push(
    { role: 'editMenu' },
    {
      label: '&View',
      submenu: [
        { label: 'Alerts', accelerator: 'CmdOrCtrl+Shift+A', click: () => actions.showAlerts() },
        { type: 'separator' },
        { role: 'reload' },
        { role: 'forceReload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        { label: 'Open data folder', click: () => actions.openDataDir() },
        ...(mac ? [] : [{ type: 'separator' } as const, about]),
      ],
    },
  );
  return template;
}
