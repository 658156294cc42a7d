// The detail charts in the browser, on the demo fleet (no lab needed): a custom range from the
// date-range picker lands in the URL and deep-links; a mouse drag across a chart re-queries that
// span and "Reset zoom" goes back; hovering one chart shows the crosshair on all four; a resized
// window redraws them at their new width; the theme switch in Settings (dark / light / follow
// system) repaints the chrome and the charts and is remembered. Before any of it: the VM detail's off-screen warm-up comes back while no detail
// page is open, and never adds test ids to the page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshot } from '../helpers/browser';
import { startServe } from '../helpers/serve';
import type { Served } from '../helpers/serve';
import { tempDir } from '../helpers/temp';
import { CHART_PALETTES } from '../../src/renderer/charts/series-option';

const CHARTS = ['cpu', 'mem', 'load', 'net'];

describe('history charts: custom range, drag-to-zoom, crosshair, theme', () => {
  let served: Served;
  let browser: Browser;
  let page: Page;
  let hostPath = '';

  beforeAll(async () => {
    served = await startServe(tempDir('e2e-charts'));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
  });
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  const rangeParam = () => new URL(page.url().replace('#', '')).searchParams.get('range');
  const points = () => page.getByTestId('detail-points').textContent();
  // page code as strings: the tests' tsconfig has no DOM types
  /** Shown ECharts tooltips (one per chart showing the crosshair); ECharts hides one by its inline style. */
  const visibleTips = () =>
    page.evaluate<number>(`[...document.querySelectorAll('[data-testid^="chart-"] .vd-chart-tip')]
      .filter((e) => e.innerText.trim() !== '' && e.style.display !== 'none' && e.style.visibility !== 'hidden').length`);
  /** Pixels of a chart's canvas painted in exactly this colour (any alpha: anti-aliased text). */
  const pixelsOf = (testid: string, hex: string) => {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    return page.evaluate<number>(`(() => {
      const canvas = document.querySelector('[data-testid="${testid}"] canvas');
      const px = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let i = 0; i < px.length; i += 4) if (px[i] === ${r} && px[i + 1] === ${g} && px[i + 2] === ${b} && px[i + 3]) n++;
      return n;
    })()`);
  };
  const cssOf = (selector: string, prop: string) =>
    page.evaluate<string>(`getComputedStyle(document.querySelector('${selector}'))['${prop}']`);

  it('warms the VM detail up off-screen again and again, its copy never carrying a test id', async () => {
    await page.goto(served.url);
    await page.getByTestId('nav-vms').click();
    // every animation frame for 20 s: whether the copy is there, and any test id inside it
    const seen = await page.evaluate<{ warmUps: number; framesWith: number; ids: string[] }>(`new Promise((done) => {
      const out = { warmUps: 0, framesWith: 0, ids: [] };
      let was = false;
      const end = performance.now() + 20000;
      const f = (t) => {
        const copy = document.querySelector('.warm-up');
        if (copy) {
          out.framesWith++;
          if (!was) out.warmUps++;
          for (const el of copy.querySelectorAll('[data-testid]')) out.ids.push(el.getAttribute('data-testid'));
        }
        was = !!copy;
        if (t < end) requestAnimationFrame(f); else done(out);
      };
      requestAnimationFrame(f);
    })`);
    // the first a few seconds after start, the next 12 s after it (charts/warm-up-schedule.ts)
    expect(seen.warmUps).toBeGreaterThanOrEqual(2);
    expect(seen.framesWith).toBeGreaterThan(0);
    expect([...new Set(seen.ids)]).toEqual([]);
    expect(await page.locator('[data-testid="range-24h"]').count()).toBe(0); // only the copy has charts here
  });

  it('opens a demo host’s four charts with data', async () => {
    await page.goto(served.url);
    await page.getByTestId('nav-hosts').click();
    const card = page.locator('[data-testid=host-row][data-host="sim-hv001"]');
    await card.locator('[data-status=ok]').waitFor({ timeout: 30_000 });
    await card.getByTestId('host-link').click();
    for (const c of CHARTS) await page.getByTestId(`chart-${c}`).locator('canvas').first().waitFor();
    // three 5 s cycles in the history (rates need two)
    await page.getByTestId('range-15m').click();
    await expect
      .poll(
        async () => {
          await page.getByTestId('charts-refresh').click();
          return points();
        },
        { timeout: 30_000, interval: 2000 },
      )
      .toMatch(/^([3-9]|\d\d+) · raw/);
    expect(rangeParam()).toBe('15m');
    hostPath = new URL(page.url()).hash.split('?')[0] ?? '';
    await screenshot(page, 'charts-01-dark-15m');
  });

  it('shows the crosshair on all four charts when hovering one', async () => {
    const box = await page.getByTestId('chart-cpu').locator('canvas').first().boundingBox();
    if (!box) throw new Error('no canvas');
    expect(await visibleTips()).toBe(0);
    // the newest sample (at the plot's right edge, grid right = 16 px) has a value on every chart
    await page.mouse.move(box.x + box.width - 18, box.y + box.height / 2);
    await expect.poll(visibleTips).toBe(CHARTS.length);
    await screenshot(page, 'charts-02-crosshair');
    await page.mouse.move(box.x + box.width / 2, box.y - 60);
  });

  it('takes a custom range from the date-range picker into the URL, and a deep link opens it', async () => {
    const now = Date.now();
    const fmt = (ms: number) => {
      const d = new Date(ms);
      const p = (n: number) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
    };
    const picker = page.getByTestId('range-custom');
    const inputs = picker.locator('input');
    await inputs.nth(0).click();
    await inputs.nth(0).fill(fmt(now - 20 * 60_000));
    await inputs.nth(1).fill(fmt(now - 60_000));
    await page.locator('.n-date-panel-actions').getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(rangeParam).toMatch(/^\d+\.\.\d+$/);
    const [from, to] = (rangeParam() ?? '').split('..').map(Number);
    expect(Math.abs((from ?? 0) - (now - 20 * 60_000))).toBeLessThan(1000);
    expect(Math.abs((to ?? 0) - (now - 60_000))).toBeLessThan(1000);
    expect(await page.getByTestId('range-15m').locator('input').isChecked()).toBe(false);
    await screenshot(page, 'charts-03-custom-range');

    // the URL alone brings the same range back
    const link = `${served.url}${hostPath}?range=${from}..${to}`;
    await page.goto('about:blank');
    await page.goto(link);
    await page.getByTestId('chart-cpu').locator('canvas').first().waitFor();
    // the host arrives after the page mounted: its actions are shown once (they were doubled)
    await expect.poll(() => page.getByTestId('host-remove').count()).toBe(1);
    await expect.poll(() => inputs.nth(0).inputValue()).toBe(fmt(from ?? 0));
    expect(rangeParam()).toBe(`${from}..${to}`);
  });

  it('opens a VM by a deep link with its host named and every host counted in the status bar', async () => {
    await page.goto(`${served.url}${hostPath}`);
    await page.getByTestId('vm-name').first().click();
    await page.getByTestId('vm-detail-name').waitFor();
    const vmPath = new URL(page.url()).hash.split('?')[0] ?? '';
    await page.goto('about:blank');
    await page.goto(`${served.url}${vmPath}`);
    // no view before it loaded the hosts: the shell does, for every page
    await page.locator(`.head-row a[href="${hostPath}"]`).waitFor({ timeout: 15_000 });
    await expect.poll(() => page.getByTestId('status-hosts').textContent()).toMatch(/\b4\/4\b/);
    await page.goto(`${served.url}${hostPath}?range=15m`);
    await page.getByTestId('chart-cpu').locator('canvas').first().waitFor();
  });

  it('zooms into a span dragged across a chart, re-queried, and resets back', async () => {
    await page.getByTestId('range-15m').click();
    await expect.poll(rangeParam).toBe('15m');
    await expect.poll(points).toMatch(/· raw/);
    const box = await page.getByTestId('chart-net').locator('canvas').first().boundingBox();
    if (!box) throw new Error('no canvas');
    // the plot spans x = 64 … width − 16 (grid in series-option.ts); drag over its right half
    const left = box.x + 64 + (box.width - 80) * 0.5;
    const right = box.x + box.width - 24;
    const y = box.y + box.height / 2;
    const before = Date.now();
    await page.mouse.move(left, y);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(left + ((right - left) * i) / 10, y);
    const band = page.getByTestId('chart-net').getByTestId('zoom-band');
    expect(Math.round((await band.boundingBox())?.width ?? 0)).toBe(Math.round(right - left));
    await page.mouse.up();
    await band.waitFor({ state: 'detached' });
    await expect.poll(rangeParam).toMatch(/^\d+\.\.\d+$/);
    const [from, to] = (rangeParam() ?? '').split('..').map(Number);
    // about the last 7½ minutes of the 15 (pixels → time is approximate)
    expect((to ?? 0) - (from ?? 0)).toBeGreaterThan(4 * 60_000);
    expect((to ?? 0) - (from ?? 0)).toBeLessThan(9 * 60_000);
    expect(from).toBeGreaterThan(before - 10 * 60_000);
    const reset = page.getByTestId('zoom-reset');
    await reset.waitFor();
    await expect.poll(points).toMatch(/· raw/);
    await expect.poll(() => page.getByTestId('range-custom').locator('input').nth(0).inputValue()).not.toBe('');
    await screenshot(page, 'charts-04-zoomed');
    await reset.click();
    await expect.poll(rangeParam).toBe('15m');
    await reset.waitFor({ state: 'detached' });
  });

  it('redraws the charts to their new width when the window is resized', async () => {
    const widths = () =>
      page.evaluate<[number, number][]>(`[...document.querySelectorAll('[data-testid^="chart-"]')]
        .filter((c) => c.querySelector('canvas'))
        .map((c) => [c.clientWidth, c.querySelector('canvas').getBoundingClientRect().width])`);
    const before = await widths();
    expect(before.length).toBeGreaterThanOrEqual(4);
    for (const [cell, canvas] of before) expect(Math.abs(cell - 2 - canvas)).toBeLessThanOrEqual(2);
    // 1360 → 1000 px: two columns of charts become one, each chart wider
    await page.setViewportSize({ width: 1000, height: 900 });
    await expect
      .poll(async () => (await widths()).every(([cell, canvas]) => Math.abs(cell - 2 - canvas) <= 2), { timeout: 5000 })
      .toBe(true);
    const after = await widths();
    expect(after[0]?.[1]).toBeGreaterThan((before[0]?.[1] ?? 0) + 100);
    await page.setViewportSize({ width: 1360, height: 900 });
    await expect
      .poll(async () => (await widths()).every(([cell, canvas]) => Math.abs(cell - 2 - canvas) <= 2), { timeout: 5000 })
      .toBe(true);
  });

  it('switches the theme in Settings, applies it to the chrome and the charts, and remembers it', async () => {
    const theme = () => page.evaluate<string>('document.documentElement.dataset.theme');
    const bodyBg = () => cssOf('body', 'backgroundColor');
    expect(await theme()).toBe('dark');
    expect(await bodyBg()).toBe('rgb(16, 16, 20)');
    await expect.poll(() => pixelsOf('chart-cpu', CHART_PALETTES.dark.axis)).toBeGreaterThan(20);
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('theme-light').click();
    await expect.poll(theme).toBe('light');
    expect(await bodyBg()).toBe('rgb(245, 245, 247)');
    // Naive UI follows: a card's background is white in the light theme
    await expect.poll(() => cssOf('.n-card', 'backgroundColor')).toBe('rgb(255, 255, 255)');
    await screenshot(page, 'charts-05-settings-light');
    await page.goto(`${served.url}${hostPath}?range=15m`);
    await page.getByTestId('chart-cpu').locator('canvas').first().waitFor();
    expect(await theme()).toBe('light'); // remembered across a reload
    await expect.poll(points).toMatch(/· raw/);
    // the chart is repainted with the light palette: its axis labels are in the light axis colour
    expect(await cssOf('.cell', 'backgroundColor')).toBe('rgb(255, 255, 255)');
    await expect.poll(() => pixelsOf('chart-cpu', CHART_PALETTES.light.axis)).toBeGreaterThan(20);
    expect(await pixelsOf('chart-cpu', CHART_PALETTES.dark.axis)).toBe(0);
    await screenshot(page, 'charts-06-light');

    await page.getByTestId('nav-settings').click();
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByTestId('theme-system').click();
    await expect.poll(theme).toBe('dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(theme).toBe('light');
    await page.getByTestId('theme-dark').click();
    await expect.poll(theme).toBe('dark');
  });
});
