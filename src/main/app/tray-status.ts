// The tray icon: how many alerts are firing (tooltip, and the title next to the icon on macOS),
// and a menu to open VirtDeck or quit. Kept current from the warn engine's alert.changed events.
import type { MenuItemConstructorOptions } from 'electron';
import type { Alert } from '../../shared/model/warn';
import type { EventHub } from '../../shared/rpc/event-hub';

/** The slice of Electron's Tray used here (a fake stands in for tests). */
export interface TrayLike<M> {
  setToolTip(text: string): void;
  setTitle(title: string): void;
  setContextMenu(menu: M): void;
  on(event: 'click', listener: () => void): unknown;
  destroy(): void;
}

export interface TrayOptions<M> {
  tray: TrayLike<M>;
  hub: EventHub;
  /** The alerts active at start (the warn engine restores firing ones from the store). */
  initial: readonly Alert[];
  buildMenu: (template: MenuItemConstructorOptions[]) => M;
  open: () => void;
  quit: () => void;
}

export function trayToolTip(firing: number, critical: number): string {
  if (firing === 0) return 'VirtDeck: no firing alerts';
  const noun = firing === 1 ? 'alert' : 'alerts';
  return `VirtDeck: ${firing} firing ${noun}${critical ? ` (${critical} critical)` : ''}`;
}

export function trayMenuTemplate(firing: number, open: () => void, quit: () => void): MenuItemConstructorOptions[] {
  return [
    { label: firing ? `${firing} firing` : 'No firing alerts', enabled: false },
    { type: 'separator' },
    { label: 'Open VirtDeck', click: () => open() },
    { label: 'Quit', click: () => quit() },
  ];
}

/** Starts keeping the tray current; returns a function that stops and removes it. */
export function startTrayStatus<M>({ tray, hub, initial, buildMenu, open, quit }: TrayOptions<M>): () => void {
  const firing = new Map<number, Alert['severity']>();
  for (const a of initial) if (a.state === 'firing' && a.id > 0) firing.set(a.id, a.severity);
  let shown = -1;
  let shownCritical = -1;
  const render = () => {
    const critical = [...firing.values()].filter((s) => s === 'critical').length;
    if (firing.size === shown && critical === shownCritical) return;
    [shown, shownCritical] = [firing.size, critical];
    tray.setToolTip(trayToolTip(firing.size, critical));
    tray.setTitle(firing.size ? String(firing.size) : '');
    tray.setContextMenu(buildMenu(trayMenuTemplate(firing.size, open, quit)));
  };
  const unsubscribe = hub.subscribe((event, payload) => {
    if (event !== 'alert.changed') return;
    const alert = payload as Alert;
    if (alert.id <= 0) return; // pending alerts live in memory and never fired
    if (alert.state === 'firing') firing.set(alert.id, alert.severity);
    else firing.delete(alert.id);
    render();
  });
  tray.on('click', open);
  render();
  return () => {
    unsubscribe();
    tray.destroy();
  };
}
