import { EventEmitter } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clampToDisplays, WINDOW_STATE_FILE, WindowStateStore } from '../../../../src/main/app/window-state';
import type { Rect } from '../../../../src/main/app/window-state';
import { tempDir } from '../../../helpers/temp';

const laptop: Rect = { x: 0, y: 0, width: 1920, height: 1050 }; // work area, taskbar excluded
const rightMonitor: Rect = { x: 1920, y: 0, width: 2560, height: 1440 };

class FakeWindow extends EventEmitter {
  bounds: Rect = { x: 100, y: 80, width: 1200, height: 800 };
  maximized = false;
  minimized = false;
  getNormalBounds = () => ({ ...this.bounds });
  isMaximized = () => this.maximized;
  isMinimized = () => this.minimized;
  isFullScreen = () => false;
}

describe('window state', () => {
  it('keeps bounds that fit, moves and shrinks ones that do not', () => {
    expect(clampToDisplays({ x: 100, y: 50, width: 1200, height: 800 }, [laptop])).toEqual({
      x: 100,
      y: 50,
      width: 1200,
      height: 800,
    });
    // hanging off the right edge of the laptop: pulled back in
    expect(clampToDisplays({ x: 1500, y: 500, width: 1200, height: 800 }, [laptop])).toEqual({
      x: 720,
      y: 250,
      width: 1200,
      height: 800,
    });
    // taller than the display: shrunk to it
    expect(clampToDisplays({ x: 0, y: -20, width: 1400, height: 2000 }, [laptop])).toMatchObject({
      y: 0,
      height: 1050,
    });
    // on the second monitor: stays there
    expect(clampToDisplays({ x: 2000, y: 100, width: 1400, height: 900 }, [laptop, rightMonitor])).toEqual({
      x: 2000,
      y: 100,
      width: 1400,
      height: 900,
    });
  });

  it('a window left on an unplugged monitor comes back centred on the primary one', () => {
    expect(clampToDisplays({ x: 2000, y: 100, width: 1400, height: 900 }, [laptop])).toEqual({
      x: 260,
      y: 75,
      width: 1400,
      height: 900,
    });
  });

  it('remembers normal bounds and maximized state; restores them clamped', async () => {
    const dir = tempDir('winstate');
    const store = new WindowStateStore(dir);
    expect(store.load([laptop])).toBeNull();
    const win = new FakeWindow();
    const saveNow = store.track(win, 5);
    win.bounds = { x: 50, y: 60, width: 1000, height: 700 };
    saveNow(); // what a quit does: the window is never closed before the app exits
    expect(new WindowStateStore(dir).load([laptop])?.bounds).toEqual({ x: 50, y: 60, width: 1000, height: 700 });
    win.bounds = { x: 3000, y: 100, width: 1300, height: 850 };
    win.emit('move');
    await new Promise((r) => setTimeout(r, 30));
    expect(new WindowStateStore(dir).load([laptop, rightMonitor])).toEqual({
      bounds: { x: 3000, y: 100, width: 1300, height: 850 },
      maximized: false,
    });
    win.maximized = true;
    win.emit('close');
    expect(new WindowStateStore(dir).load([laptop])).toEqual({
      bounds: { x: 310, y: 100, width: 1300, height: 850 },
      maximized: true,
    });
    win.minimized = true;
    win.bounds = { x: 0, y: 0, width: 10, height: 10 };
    win.emit('close'); // minimized: the last normal state stays
    expect(JSON.parse(readFileSync(join(dir, WINDOW_STATE_FILE), 'utf8'))).toMatchObject({ bounds: { x: 3000 } });
  });

  it('a damaged file means the defaults, said in the log', () => {
    const dir = tempDir('winstate');
    const lines: string[] = [];
    writeFileSync(join(dir, WINDOW_STATE_FILE), '{not json');
    expect(new WindowStateStore(dir, (l) => lines.push(l)).load([laptop])).toBeNull();
    expect(lines[0]).toMatch(/not valid JSON/);
    writeFileSync(join(dir, WINDOW_STATE_FILE), JSON.stringify({ bounds: { x: 'a' } }));
    expect(new WindowStateStore(dir).load([laptop])).toBeNull();
  });
});
