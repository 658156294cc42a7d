// Debian's Chromium driven by playwright-core (never a downloaded browser), with the flags this
// offline machine needs, and screenshots saved under test-results/.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';

export const CHROMIUM = process.env.VIRTDECK_CHROMIUM ?? '/usr/bin/chromium';
export const SHOTS = join(process.cwd(), 'test-results', 'screenshots');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--lang=en-US',
    ],
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SHOTS, { recursive: true });
  const path = join(SHOTS, `${name}.png`);
  // transitions finished: a button just clicked is shown in its new state, not halfway through
  await page.screenshot({ path, fullPage: true, animations: 'disabled' });
  return path;
}
