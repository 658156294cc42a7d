// The UI under a 10,000-VM fleet (200 simulated hosts × 50, in its own process) in Debian's
// Chromium: the fleet VM grid's script per live update, the time from an update's arrival to the
// end of the frame that shows it, scrolling frame rate, DOM size; and the VM detail's first paint
// of four 24 h charts and the time one refresh of them takes to apply.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Figure } from './lib/figures';
import { median, p95 } from './lib/figures';
import { requireBuild } from './lib/sim-child';
import { DETAIL_HOST, inPage, openFleetGrid } from './lib/ui-fleet';
import type { Probe } from './lib/ws-probe';

const WINDOW_MS = 20_000;
/** Live updates followed to their frame (after the script window: the probe's own script stays out of it). */
const PROBE_MS = 10_000;

export async function run(): Promise<Figure[]> {
  const missing = requireBuild();
  if (missing) {
    process.stderr.write(`ui bench skipped: ${missing}\n`);
    return [];
  }
  const { page, cdp, uuid, total, close } = await openFleetGrid();
  try {
    await cdp.send('Performance.enable');
    await cdp.send('Network.enable');
    let updates = 0;
    cdp.on('Network.webSocketFrameReceived', (e: { response: { payloadData: string } }) => {
      if (e.response.payloadData.includes('"metrics.updated"')) updates++;
    });

    // live updates: script time per host cycle, frame times meanwhile
    const scriptSec = async () =>
      ((await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] }).metrics.find(
        (m) => m.name === 'ScriptDuration',
      )?.value ?? 0;
    const s0 = await scriptSec();
    const u0 = updates;
    const frames = await inPage<number[]>(
      page,
      `new Promise((done) => { const d = []; let last = performance.now(); const end = last + ${WINDOW_MS};
         const f = (t) => { d.push(t - last); last = t; if (t < end) requestAnimationFrame(f); else done(d); };
         requestAnimationFrame(f); })`,
    );
    const scriptMs = ((await scriptSec()) - s0) * 1000;
    const n = updates - u0;
    const domNodes = await inPage<number>(page, `document.getElementsByTagName('*').length`);

    // each live update from its arrival to the end of the next frame (see bench/README.md)
    await inPage(
      page,
      `(window.__vdProbe.updates = [], window.__vdProbe.events = [], window.__vdProbe.frameWork = [], window.__vdProbe.on = true)`,
    );
    await page.waitForTimeout(PROBE_MS);
    const probe = await inPage<Probe>(page, `(window.__vdProbe.on = false, window.__vdProbe)`);
    const followed = probe.updates;
    const toFrameEnd = followed.map((u) => u.done - u.arrived);
    // `frame` is the start of the frame's animation callbacks, so this includes the app applying
    // the update there (src/renderer/stores/frame-batch.ts)
    const frameWork = followed.map((u) => u.applied - u.arrived + (u.done - u.frame));
    // the app's handling of host cycles: their metrics.updated and host.updated, each with the
    // microtasks it queued (Vue re-renders there, which CDP's ScriptDuration does not count), and
    // the app's animation-frame callbacks, where it applies what arrived (once per frame)
    const onMessages =
      followed.reduce((a, u) => a + u.applied - u.arrived, 0) +
      probe.events.filter((e) => e.name === 'host.updated').reduce((a, e) => a + e.applied - e.arrived, 0);
    const inFrames = probe.frameWork.reduce((a, f) => a + f.work, 0);
    const handling = onMessages + inFrames;

    // scrolling: 100 px per frame for 3 s
    const scrollFrames = await inPage<number>(
      page,
      `new Promise((done) => { const el = document.querySelector('[data-testid="vm-grid-body"]'); let n = 0;
         const end = performance.now() + 3000;
         const f = (t) => { el.scrollTop += 100; n++; if (t < end) requestAnimationFrame(f); else done(n); };
         requestAnimationFrame(f); })`,
    );

    // VM detail: four charts of 24 h, from navigation to drawn; and what the time went to: until
    // the series were asked for, the core's answer (queue, query, the socket, and the page still
    // busy mounting meanwhile), the page after it
    const paints: number[] = [];
    const parts: string[] = [];
    for (let i = 0; i < 5; i++) {
      await page.getByTestId('nav-vms').click();
      await inPage(page, `(window.__vdProbe.requests = [], window.__vdProbe.results = [], window.__vdProbe.on = true)`);
      const [t0, t1] = await inPage<[number, number]>(
        page,
        `new Promise((done, fail) => { const t0 = performance.now();
           location.hash = '#/vms/${DETAIL_HOST}/${uuid}?range=24h';
           const tick = () => { const p = document.querySelector('[data-testid="detail-points"]');
             const charts = document.querySelectorAll('[data-testid^="chart-"] canvas').length;
             if (p && p.textContent.includes('·') && charts >= 4) requestAnimationFrame(() => done([t0, performance.now()]));
             else if (performance.now() - t0 > 30000) fail(new Error('the VM detail drew no data in 30 s: ' + document.body.innerText.slice(0, 300)));
             else requestAnimationFrame(tick); };
           requestAnimationFrame(tick); })`,
      );
      const probe = await inPage<Probe>(page, `(window.__vdProbe.on = false, window.__vdProbe)`);
      paints.push(t1 - t0);
      const req = probe.requests.find((r) => r.method === 'history.seriesMany');
      const res = probe.results.find((r) => r.id === req?.id);
      parts.push(
        req && res
          ? `${(req.sent - t0).toFixed(0)}+${(res.arrived - req.sent).toFixed(0)}+${(t1 - res.arrived).toFixed(0)}`
          : '?',
      );
    }
    const points = await page.getByTestId('detail-points').textContent();

    // one refresh of the four 24 h charts (the path the live timer takes for presets up to 6 h):
    // from the arrival of the last result it waits for to the end of the app's handling of it
    const applies: number[] = [];
    const refreshes: number[] = [];
    for (let i = 0; i < 5; i++) {
      await page.waitForTimeout(500);
      await inPage(page, `(window.__vdProbe.results = [], window.__vdProbe.on = true)`);
      const clicked = await inPage<number>(page, 'performance.now()');
      await page.getByTestId('charts-refresh').click();
      // the series come back as one result or (before they were batched) one per series; a second
      // with no new big result means the charts have what they asked for
      let seen = -1;
      let results: Probe['results'] = [];
      for (let waited = 0; waited < 30_000; waited += 250) {
        await page.waitForTimeout(250);
        results = (await inPage<Probe['results']>(page, 'window.__vdProbe.results')).filter((r) => r.bytes > 10_000);
        if (results.length && results.length === seen) break;
        seen = results.length;
      }
      await inPage(page, `(window.__vdProbe.on = false)`);
      const last = results.at(-1);
      if (!last) throw new Error('a refresh of the VM detail brought no series back in 30 s');
      applies.push(last.applied - last.arrived);
      refreshes.push(last.applied - clicked);
    }
    process.stderr.write(
      `ui bench: ${total} rows, ${n} live updates in ${WINDOW_MS / 1000} s (${scriptMs.toFixed(0)} ms of CDP script), ` +
        `${frames.length} frames (rAF interval ${median(frames).toFixed(1)} ms), ${scrollFrames} scroll frames in 3 s, ` +
        `${domNodes} DOM nodes; ${followed.length} updates followed (${handling.toFixed(0)} ms handling them and their host.updated: ` +
        `${onMessages.toFixed(0)} on the messages, ${inFrames.toFixed(0)} in animation frames): arrival → frame done ` +
        `${median(toFrameEnd).toFixed(1)} ms median (p95 ${p95(toFrameEnd).toFixed(1)}), their own work ` +
        `${median(frameWork).toFixed(1)} ms; detail: ${points}, first paint ${paints.map((p) => p.toFixed(0)).join(' ')} ms ` +
        `(until asked + the core's answer + the page after it: ${parts.join(' ')}), ` +
        `refresh applied in ${applies.map((p) => p.toFixed(1)).join(' ')} ms (click → applied ` +
        `${refreshes.map((p) => p.toFixed(0)).join(' ')} ms)\n`,
    );
    mkdirSync(join(__dirname, 'results'), { recursive: true });
    return [
      {
        name: 'ui.grid_update_script_ms',
        value: followed.length ? handling / followed.length : NaN,
        unit: 'ms',
        target: 5,
        baseline: null,
      },
      { name: 'ui.grid_update_cdp_script_ms', value: n ? scriptMs / n : NaN, unit: 'ms', target: null, baseline: null },
      { name: 'ui.grid_frame_ms', value: median(toFrameEnd), unit: 'ms', target: 16, baseline: null },
      { name: 'ui.grid_frame_work_ms', value: median(frameWork), unit: 'ms', target: null, baseline: null },
      { name: 'ui.grid_raf_interval_ms', value: median(frames), unit: 'ms', target: null, baseline: null },
      { name: 'ui.scroll_fps', value: scrollFrames / 3, unit: 'fps', target: 55, baseline: null },
      { name: 'ui.grid_dom_nodes', value: domNodes, unit: 'nodes', target: 1000, baseline: null },
      { name: 'ui.detail_first_paint_ms', value: median(paints), unit: 'ms', target: 150, baseline: null },
      // the run's first navigation to the VM, which the median hides (always the slowest so far)
      { name: 'ui.detail_first_paint_first_ms', value: paints[0] ?? NaN, unit: 'ms', target: 150, baseline: null },
      { name: 'ui.detail_live_update_ms', value: median(applies), unit: 'ms', target: 50, baseline: null },
    ];
  } finally {
    await close();
  }
}
