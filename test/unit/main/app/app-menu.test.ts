import { describe, expect, it, vi } from 'vitest';
import type { MenuItem } from '../../../../src/main/app/app-menu';
import { appMenuTemplate } from '../../../../src/main/app/app-menu';

function flat(items: MenuItem[]): MenuItem[] {
  return items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? flat(i.submenu) : [])]);
}
const actions = () => ({ showAbout: vi.fn(), showAlerts: vi.fn(), openDataDir: vi.fn() });

describe('application menu', () => {
  it.each(['linux', 'win32', 'darwin'] as const)('%s: Edit, View, Window and Help, with About', (platform) => {
    const a = actions();
    const template = appMenuTemplate(platform, a);
    const roles = template.map((i) => i.role ?? i.label);
    expect(roles).toEqual(expect.arrayContaining(['editMenu', '&View', 'windowMenu', 'help']));
    const items = flat(template);
    const about = items.find((i) => i.label === 'About VirtDeck');
    expect(about).toBeDefined();
    about?.click?.({} as never, undefined, {} as never);
    expect(a.showAbout).toHaveBeenCalledOnce();
    expect(items.some((i) => i.role === 'quit')).toBe(true);
    items.find((i) => i.label === 'Alerts')?.click?.({} as never, undefined, {} as never);
    expect(a.showAlerts).toHaveBeenCalledOnce();
    if (platform === 'darwin') expect(template[0]?.label).toBe('VirtDeck');
  });
});
