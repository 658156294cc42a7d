// Where the VM grid's main thread goes during live updates: `npx tsx bench/ui-trace.ts` opens the
// 10,000-row grid (as `npm run bench -- ui` does), records a Chromium trace (devtools.timeline)
// for TRACE_SEC seconds and prints the renderer main thread's time by what it did (self time per
// trace event), and the tasks with no script, style, layout or paint in them by where they were
// posted from (what CDP's Performance metrics count as "TaskOther"). The trace itself goes to
// bench/results/ui-trace.json (open it in chrome://tracing or the DevTools Performance panel).
// TRACE=detail instead traces DETAIL_RUNS navigations grid → VM detail (24 h) with a CPU profile
// of the page (bench/results/ui-detail.cpuprofile) and prints the functions that took the most.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireBuild } from './lib/sim-child';
import { DETAIL_HOST, inPage, openFleetGrid } from './lib/ui-fleet';
import type { UiFleet } from './lib/ui-fleet';

const TRACE_SEC = Number(process.env.TRACE_SEC ?? 10);
const DETAIL_RUNS = Number(process.env.DETAIL_RUNS ?? 3);
const CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-devtools.timeline.frame',
  'toplevel',
  'blink',
  'v8',
  'v8.execute',
  'disabled-by-default-v8.gc',
  'cc',
  'renderer.scheduler',
];

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; src_file?: string; src_func?: string; data?: Record<string, unknown> };
}

/** Event names that mean "this task did script / rendering work" (the rest is "other"). */
const SCRIPT = new Set(['FunctionCall', 'EvaluateScript', 'v8.run', 'V8.Execute', 'TimerFire', 'EventDispatch']);
const RENDER = new Set(['UpdateLayoutTree', 'Layout', 'Paint', 'PrePaint', 'Layerize', 'UpdateLayer', 'Commit']);

function isTask(e: TraceEvent): boolean {
  return e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask';
}

function analyse(events: TraceEvent[], spanMs: number): string {
  const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  if (!main) return 'no renderer main thread in the trace';
  // the page's renderer: the CrRendererMain with the most complete events
  const mains = events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const counts = mains.map((m) => ({
    m,
    n: events.filter((e) => e.pid === m.pid && e.tid === m.tid && e.ph === 'X').length,
  }));
  const { m } = counts.sort((a, b) => b.n - a.n)[0] as { m: TraceEvent };
  const mine = events
    .filter((e) => e.pid === m.pid && e.tid === m.tid && e.ph === 'X' && typeof e.dur === 'number')
    .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));

  // self time per event name, from the nesting of complete events
  const self = new Map<string, number>();
  const stack: { e: TraceEvent; end: number; child: number }[] = [];
  const pop = (until: number) => {
    while (stack.length && (stack.at(-1) as { end: number }).end <= until) {
      const top = stack.pop() as { e: TraceEvent; end: number; child: number };
      self.set(top.e.name, (self.get(top.e.name) ?? 0) + (top.e.dur ?? 0) - top.child);
      const parent = stack.at(-1);
      if (parent) parent.child += top.e.dur ?? 0;
    }
  };
  for (const e of mine) {
    pop(e.ts);
    stack.push({ e, end: e.ts + (e.dur ?? 0), child: 0 });
  }
  pop(Infinity);

  // top-level tasks, each classified by what ran inside it
  const tasks: { e: TraceEvent; kinds: Set<string> }[] = [];
  let open: { e: TraceEvent; kinds: Set<string>; end: number } | null = null;
  for (const e of mine) {
    if (open && e.ts >= open.end) open = null;
    if (!open && isTask(e)) {
      open = { e, kinds: new Set(), end: e.ts + (e.dur ?? 0) };
      tasks.push(open);
    } else if (open) {
      if (SCRIPT.has(e.name)) open.kinds.add('script');
      else if (RENDER.has(e.name)) open.kinds.add('render');
      else if (e.name.startsWith('V8.GC') || e.name.includes('GC')) open.kinds.add('gc');
      open.kinds.add(e.name);
    }
  }
  const busy = tasks.reduce((a, t) => a + (t.e.dur ?? 0), 0) / 1000;
  const other = new Map<string, { ms: number; n: number; inside: Map<string, number> }>();
  for (const t of tasks) {
    if (t.kinds.has('script') || t.kinds.has('render')) continue;
    const a = t.e.args as Record<string, unknown> | undefined;
    const posted = (a?.src_file ?? (a?.task as { posted_from?: { file_name?: string } })?.posted_from?.file_name) as
      string | undefined;
    const fn = (a?.src_func ??
      (a?.task as { posted_from?: { function_name?: string } })?.posted_from?.function_name) as string | undefined;
    const where = `${posted ?? '?'} ${fn ?? ''}`.trim();
    const o = other.get(where) ?? { ms: 0, n: 0, inside: new Map<string, number>() };
    o.ms += (t.e.dur ?? 0) / 1000;
    o.n++;
    for (const k of t.kinds) o.inside.set(k, (o.inside.get(k) ?? 0) + 1);
    other.set(where, o);
  }

  const lines = [
    `renderer main thread: ${busy.toFixed(0)} ms busy in ${tasks.length} tasks over ${spanMs.toFixed(0)} ms (${((busy / spanMs) * 100).toFixed(0)} %)`,
    '',
    'self time by event (ms):',
    ...[...self]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 30)
      .map(([k, v]) => `  ${(v / 1000).toFixed(1).padStart(8)}  ${k}`),
    '',
    'tasks with no script and no rendering, by where they were posted (ms, count, what ran inside):',
    ...[...other]
      .sort((a, b) => b[1].ms - a[1].ms)
      .slice(0, 20)
      .map(
        ([k, v]) =>
          `  ${v.ms.toFixed(1).padStart(8)} ${String(v.n).padStart(6)}  ${k}  [${[...v.inside]
            .sort((a, b) => b[1] - a[1])
            .slice(0, 6)
            .map(([n, c]) => `${n}×${c}`)
            .join(', ')}]`,
      ),
  ];
  return lines.join('\n');
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time per function (name, file, line:column) of a CPU profile, the biggest first. */
function topFunctions(profile: CpuProfile, n: number): string[] {
  const byId = new Map(profile.nodes.map((x) => [x.id, x.callFrame]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const f = byId.get(id);
    const key = f
      ? `${f.functionName || '(anonymous)'} ${f.url.split('/').pop() ?? ''}:${f.lineNumber + 1}:${f.columnNumber + 1}`
      : '?';
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `  ${v.toFixed(1).padStart(8)}  ${k}`);
}

/** Records a trace of the page while `during` runs; the trace is written to bench/results/NAME. */
async function traced(cdp: UiFleet['cdp'], name: string, during: () => Promise<unknown>): Promise<string> {
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (d) => events.push(...(d.value as unknown as TraceEvent[])));
  const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
  await cdp.send('Tracing.start', {
    traceConfig: { includedCategories: CATEGORIES, recordMode: 'recordContinuously' },
    transferMode: 'ReportEvents',
  });
  const t0 = performance.now();
  await during();
  const spanMs = performance.now() - t0;
  await cdp.send('Tracing.end');
  await done;
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), JSON.stringify({ traceEvents: events }));
  return analyse(events, spanMs);
}

/** Navigations to the VM detail under a CPU profile and a trace: where the page's time goes. */
async function traceDetail({ page, cdp, uuid }: UiFleet): Promise<void> {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  let total = 0;
  const profiles: CpuProfile[] = [];
  const trace = await traced(cdp, 'ui-detail-trace.json', async () => {
    for (let i = 0; i < DETAIL_RUNS; i++) {
      await page.getByTestId('nav-vms').click();
      await page.waitForTimeout(1000);
      await cdp.send('Profiler.start');
      total += await inPage<number>(
        page,
        `new Promise((done) => { const t0 = performance.now();
           location.hash = '#/vms/${DETAIL_HOST}/${uuid}?range=24h';
           const tick = () => { const p = document.querySelector('[data-testid="detail-points"]');
             if (p && p.textContent.includes('·') && document.querySelectorAll('[data-testid^="chart-"] canvas').length >= 4)
               requestAnimationFrame(() => done(performance.now() - t0));
             else requestAnimationFrame(tick); };
           requestAnimationFrame(tick); })`,
      );
      profiles.push(((await cdp.send('Profiler.stop')) as { profile: CpuProfile }).profile);
    }
  });
  process.stdout.write(`trace of the navigations (and the grid between them):\n${trace}\n\n`);
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'ui-detail.cpuprofile'), JSON.stringify(profiles.at(-1)));
  const merged: CpuProfile = { nodes: [], samples: [], timeDeltas: [] };
  profiles.forEach((p, k) => {
    const off = k * 1e7; // node ids of separate profiles kept apart
    merged.nodes.push(...p.nodes.map((x) => ({ ...x, id: x.id + off })));
    merged.samples.push(...p.samples.map((id) => id + off));
    merged.timeDeltas.push(...p.timeDeltas);
  });
  process.stdout.write(
    `${DETAIL_RUNS} navigations, ${(total / DETAIL_RUNS).toFixed(0)} ms each (profiled); self time by function (ms, all runs):\n` +
      `${topFunctions(merged, 40).join('\n')}\n`,
  );
}

async function main(): Promise<void> {
  const missing = requireBuild();
  if (missing) throw new Error(missing);
  const fleet = await openFleetGrid();
  const { cdp, close } = fleet;
  try {
    if (process.env.TRACE === 'detail') return await traceDetail(fleet);
    // what the socket brings meanwhile: messages and bytes per event
    const frames = new Map<string, { n: number; bytes: number }>();
    await cdp.send('Network.enable');
    cdp.on('Network.webSocketFrameReceived', (e: { response: { payloadData: string } }) => {
      const data = e.response.payloadData;
      const name = /^\{"t":"(\w+)"(?:,"event":"([\w.]+)")?/.exec(data);
      const key = name ? (name[2] ?? name[1] ?? '?') : '?';
      const f = frames.get(key) ?? { n: 0, bytes: 0 };
      f.n++;
      f.bytes += data.length;
      frames.set(key, f);
    });
    const trace = await traced(cdp, 'ui-trace.json', () => new Promise((r) => setTimeout(r, TRACE_SEC * 1000)));
    process.stdout.write(`${trace}\n\nWebSocket messages received (count, KB, KB each):\n`);
    for (const [k, f] of [...frames].sort((a, b) => b[1].bytes - a[1].bytes))
      process.stdout.write(
        `  ${String(f.n).padStart(6)} ${(f.bytes / 1024).toFixed(0).padStart(8)} ${(f.bytes / 1024 / f.n).toFixed(1).padStart(7)}  ${k}\n`,
      );
  } finally {
    await close();
  }
}

void main();
