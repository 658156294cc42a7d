// The UI benches' setup: a simulated fleet in its own process, one VM with 24 h of history,
// `serve` from the build, Debian's Chromium with the WebSocket probe, the VM grid open and full.
import { join } from 'node:path';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { HistoryStore } from '../../src/main/store/history-store';
import { launchChromium } from '../../test/helpers/browser';
import { snapshot } from '../../test/helpers/snapshots';
import { startServeChild } from './serve-child';
import type { ServeChild } from './serve-child';
import { startSimChild } from './sim-child';
import type { SimChild } from './sim-child';
import { WS_PROBE } from './ws-probe';

export const HOSTS = Number(process.env.BENCH_HOSTS ?? 200);
export const VMS = Number(process.env.BENCH_VMS ?? 50);
export const DETAIL_HOST = 'bench-detail-host';

export interface UiFleet {
  page: Page;
  cdp: CDPSession;
  /** The VM with 24 h of history (on DETAIL_HOST). */
  uuid: string;
  /** Rows the grid shows once every host has reported. */
  total: number;
  close(): Promise<void>;
}

/** 24 h of one VM at 10 s, written before serve opens the file (the detail charts read it). */
function fillDetailHistory(dataDir: string): string {
  const store = new HistoryStore({ path: join(dataDir, 'history.db') });
  const end = Date.now();
  const start = end - 86_400_000;
  let batch = [];
  for (let ts = start; ts <= end; ts += 10_000) {
    batch.push({ snapshot: snapshot(DETAIL_HOST, ts, 1), hostName: 'bench detail host' });
    if (batch.length === 360) {
      store.writeBatch(batch);
      batch = [];
    }
  }
  store.writeBatch(batch);
  store.close();
  return snapshot(DETAIL_HOST, end, 1).vms[0]?.uuid ?? '';
}

/** Everything up to a full VM grid; `close` stops the browser, serve and the simulator. */
export async function openFleetGrid(): Promise<UiFleet> {
  const sim: SimChild = await startSimChild(['--hosts', String(HOSTS), '--vms', String(VMS), '--no-incidents']);
  let served: ServeChild | null = null;
  let browser: Browser | null = null;
  const close = async () => {
    await browser?.close();
    await served?.stop();
    await sim.stop();
  };
  try {
    const uuid = fillDetailHistory(sim.dir);
    served = await startServeChild(sim.dir);
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.addInitScript(WS_PROBE);
    const cdp = await page.context().newCDPSession(page);
    await page.goto(served.url);
    await page.getByTestId('nav-vms').click();
    const total = HOSTS * VMS;
    const counted = page.getByTestId('grid-count').filter({ hasText: new RegExp(`^${total} of ${total}$`) });
    await counted.waitFor({ timeout: 120_000 }).catch(async (e: Error) => {
      throw new Error(
        `the grid never showed ${total} VMs (it says '${await page.getByTestId('grid-count').textContent()}'): ${e.message}`,
      );
    });
    return { page, cdp, uuid, total, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/** Runs a script in the page (CDP evaluation: the app's CSP forbids eval in page code). */
export const inPage = <T>(page: Page, js: string) => page.evaluate(js) as Promise<T>;
