// The main window's size, position and maximized state, remembered in window-state.json (data
// dir) and restored clamped onto a display that is still there.
import { join } from 'node:path';
import { JsonFile } from '../config/json-file';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface WindowState {
  bounds: Rect;
  maximized: boolean;
}
/** The slice of a BrowserWindow the tracker reads (a fake stands in for tests). */
export interface TrackedWindowLike {
  on(event: 'resize' | 'move' | 'maximize' | 'unmaximize' | 'close', listener: () => void): unknown;
  getNormalBounds(): Rect;
  isMaximized(): boolean;
  isMinimized(): boolean;
  isFullScreen(): boolean;
}

export const WINDOW_STATE_FILE = 'window-state.json';
export const DEFAULT_SIZE = { width: 1400, height: 900 };
export const MIN_SIZE = { width: 960, height: 600 };

function isRect(v: unknown): v is Rect {
  const r = v as Partial<Rect> | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    [r.x, r.y, r.width, r.height].every((n) => typeof n === 'number' && Number.isFinite(n))
  );
}

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/**
 * Where to open the window: the saved bounds fitted onto the display they overlap most (its
 * work area, so not under a taskbar); a window on no display any more goes to the primary one.
 */
export function clampToDisplays(saved: Rect, workAreas: readonly Rect[]): Rect {
  const primary = workAreas[0];
  if (!primary) return saved;
  let best = primary;
  let bestArea = 0;
  for (const area of workAreas) {
    const o = overlap(saved, area);
    if (o > bestArea) [best, bestArea] = [area, o];
  }
  const width = Math.max(Math.min(saved.width, best.width), Math.min(MIN_SIZE.width, best.width));
  const height = Math.max(Math.min(saved.height, best.height), Math.min(MIN_SIZE.height, best.height));
  if (bestArea === 0) {
    // off every screen (a monitor was unplugged): centre it on the primary display
    return {
      x: best.x + Math.round((best.width - width) / 2),
      y: best.y + Math.round((best.height - height) / 2),
      width,
      height,
    };
  }
  const x = Math.min(Math.max(saved.x, best.x), best.x + best.width - width);
  const y = Math.min(Math.max(saved.y, best.y), best.y + best.height - height);
  return { x, y, width, height };
}

export class WindowStateStore {
  private readonly file: JsonFile<Partial<WindowState> | null>;

  constructor(
    dataDir: string,
    private readonly log: (line: string) => void = () => undefined,
  ) {
    this.file = new JsonFile<Partial<WindowState> | null>(join(dataDir, WINDOW_STATE_FILE), null);
  }

  /** The bounds and maximized flag to open with, or null: the defaults (centred by Electron). */
  load(workAreas: readonly Rect[]): WindowState | null {
    let doc: Partial<WindowState> | null;
    try {
      doc = this.file.read();
    } catch (e) {
      this.log(`window state: ${(e as Error).message}`);
      return null;
    }
    if (!doc || !isRect(doc.bounds)) return null;
    return { bounds: clampToDisplays(doc.bounds, workAreas), maximized: doc.maximized === true };
  }

  save(state: WindowState): void {
    try {
      this.file.write(state, 0o600);
    } catch (e) {
      this.log(`window state not saved: ${(e as Error).message}`);
    }
  }

  /**
   * Remembers the window's normal bounds and maximized state as it changes (debounced) and on
   * close; returns a function that saves now (quitting exits without closing the window).
   */
  track(win: TrackedWindowLike, debounceMs = 500): () => void {
    let timer: NodeJS.Timeout | undefined;
    const capture = () => {
      clearTimeout(timer);
      timer = undefined;
      if (win.isMinimized() || win.isFullScreen()) return; // keep the last normal state
      this.save({ bounds: win.getNormalBounds(), maximized: win.isMaximized() });
    };
    const later = () => {
      clearTimeout(timer);
      timer = setTimeout(capture, debounceMs);
      timer.unref();
    };
    for (const event of ['resize', 'move', 'maximize', 'unmaximize'] as const) win.on(event, later);
    win.on('close', capture);
    return capture;
  }
}
