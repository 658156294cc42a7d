// Preloaded into `serve` by bench/serve-memory-probe.ts (node --require): on SIGUSR2 it appends
// one JSON line of memory figures to $PROBE_OUT (RSS by kind, V8's heap spaces, external and
// array buffers, the brk heap, threads); on SIGHUP it forces a full GC (needs --expose-gc),
// appends a line and, with $PROBE_SNAPSHOT, writes a heap snapshot there. With $PROBE_SAMPLING,
// SIGUSR1 starts V8's sampling heap profiler (keeping what survives young-generation GCs: live
// or promoted) and SIGWINCH stops it and writes the top allocation sites to $PROBE_OUT.sites.
'use strict';
const fs = require('node:fs');
const v8 = require('node:v8');
const MB = 1048576;

function regions() {
  let brk = 0;
  let anon = 0;
  let file = 0;
  let name = '';
  for (const line of fs.readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) name = head[1] ?? '';
    else if (line.startsWith('Rss:')) {
      const kb = Number(/(\d+)/.exec(line)?.[1] ?? 0) / 1024;
      if (name === '[heap]') brk += kb;
      else if (name.startsWith('/')) file += kb;
      else anon += kb;
    }
  }
  return { brk, otherAnon: anon, file };
}

function report(tag) {
  const m = process.memoryUsage();
  const status = fs.readFileSync('/proc/self/status', 'utf8');
  const kb = (f) => Number(new RegExp(`^${f}:\\s*(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) / 1024;
  const spaces = {};
  for (const s of v8.getHeapSpaceStatistics()) spaces[s.space_name] = [s.space_used_size / MB, s.space_size / MB];
  const line = {
    tag,
    t: Date.now(),
    rss: kb('VmRSS'),
    hwm: kb('VmHWM'),
    heapTotal: m.heapTotal / MB,
    heapUsed: m.heapUsed / MB,
    external: m.external / MB,
    arrayBuffers: m.arrayBuffers / MB,
    spaces,
    threads: fs.readdirSync('/proc/self/task').length,
    ...regions(),
  };
  fs.appendFileSync(process.env.PROBE_OUT, JSON.stringify(line) + '\n');
}

process.on('SIGUSR2', () => report('sample'));
process.on('SIGHUP', () => {
  if (global.gc) global.gc();
  report('after-gc');
  if (process.env.PROBE_SNAPSHOT) v8.writeHeapSnapshot(process.env.PROBE_SNAPSHOT);
  report('done');
});

if (process.env.PROBE_SAMPLING) {
  const session = new (require('node:inspector').Session)();
  session.connect();
  const opts = {
    samplingInterval: 4096,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: false,
  };
  process.on('SIGUSR1', () => session.post('HeapProfiler.startSampling', opts));
  process.on('SIGWINCH', () =>
    session.post('HeapProfiler.stopSampling', (err, res) => {
      const sites = new Map();
      const walk = (node, stack) => {
        const f = node.callFrame;
        const here = [...stack, `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`];
        if (node.selfSize) {
          const key = here.slice(-3).join(' < ');
          sites.set(key, (sites.get(key) ?? 0) + node.selfSize);
        }
        for (const c of node.children) walk(c, here);
      };
      if (res) walk(res.profile.head, []);
      const top = [...sites].sort((a, b) => b[1] - a[1]).slice(0, 40);
      fs.writeFileSync(
        `${process.env.PROBE_OUT}.sites`,
        (err ? `${err.message}\n` : '') +
          top.map(([k, v]) => `${(v / MB).toFixed(1).padStart(6)} MB  ${k}`).join('\n') +
          '\n',
      );
    }),
  );
}
