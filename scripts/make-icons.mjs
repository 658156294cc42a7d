// Renders resources/icon.svg to the PNG sizes packaging needs, with Debian's Chromium
// (playwright-core). Run by hand after changing the icon: `node scripts/make-icons.mjs`.
import { mkdirSync, readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const svg = readFileSync('resources/icon.svg', 'utf8');
const sizes = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
mkdirSync('resources/icons', { recursive: true });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
for (const size of sizes) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  await page.setContent(
    `<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body></html>`,
  );
  const out = size === 1024 ? 'resources/icon.png' : `resources/icons/${size}x${size}.png`;
  await page.screenshot({ path: out, omitBackground: true });
  await page.close();
}
await browser.close();
console.log(`wrote ${sizes.length} icons`);
