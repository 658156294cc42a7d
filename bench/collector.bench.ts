// Collector cycle against 200 simulated hosts × 50 VMs (the simulator in its own process):
// wall time and client CPU of a whole fleet cycle through the real HostCollectors, against the
// bare transport floor — the same batch script over the same kind of persistent connection
// (one ssh2 connection and one remote sh per host), output fetched and nothing parsed — and
// memory twice: the RSS of this bench process (tsx and its TypeScript tooling included) with the
// collectors warm, and the RSS of the real main process — `serve` from the build on the same
// simulated fleet — through whole 10 s cycles. Collector and floor cycles alternate, so both meet
// the same simulator load. BENCH_HOSTS / BENCH_VMS / BENCH_CYCLES / BENCH_SERVE_SEC scale it.
import { buildBatch } from '../src/main/collector/batch';
import { ShellRunner } from '../src/main/ssh/shell-runner';
import { SshSession } from '../src/main/ssh/ssh-session';
import type { Figure } from './lib/figures';
import { median } from './lib/figures';
import { collectorProcessMemory } from './lib/collector-process';
import { measureServeMemory } from './lib/serve-memory';
import { requireBuild, startSimChild } from './lib/sim-child';
import { simCollectors } from './lib/sim-collectors';

const HOSTS = Number(process.env.BENCH_HOSTS ?? 200);
const VMS = Number(process.env.BENCH_VMS ?? 50);
const CYCLES = Number(process.env.BENCH_CYCLES ?? 8);
const INTERVAL_SEC = 10;
/** How long serve's RSS is sampled once every host is up (0: not measured). */
const SERVE_SEC = Number(process.env.BENCH_SERVE_SEC ?? 40);
/** Also measure serve with V8's own heap heuristics (VIRTDECK_HEAP_TUNING=0), 0: not. */
const SERVE_UNTUNED = process.env.BENCH_SERVE_UNTUNED !== '0';

interface Phase {
  wallMs: number[];
  cpuMs: number[];
}

async function measure(cycles: number, once: () => Promise<unknown>): Promise<Phase> {
  const wallMs: number[] = [];
  const cpuMs: number[] = [];
  for (let i = 0; i < cycles; i++) {
    const cpu0 = process.cpuUsage();
    const t = performance.now();
    await once();
    wallMs.push(performance.now() - t);
    const cpu = process.cpuUsage(cpu0);
    cpuMs.push((cpu.user + cpu.system) / 1000);
  }
  return { wallMs, cpuMs };
}

export async function run(): Promise<Figure[]> {
  const missing = requireBuild();
  if (missing) {
    process.stderr.write(`collector bench skipped: ${missing}\n`);
    return [];
  }
  const rssIdleMb = process.memoryUsage().rss / 2 ** 20;
  const sim = await startSimChild(['--hosts', String(HOSTS), '--vms', String(VMS), '--no-incidents']);
  try {
    const { configs, verifier, limiter, collectors, fleetCycle } = simCollectors(sim);
    const t0 = performance.now();
    const first = await fleetCycle(); // connects (16 at a time), then name↔UUID, nodeinfo, pools
    const connectMs = performance.now() - t0;
    const bad = first.filter((v) => v.status !== 'ok');
    if (bad.length) throw new Error(`${bad.length} hosts not ok: ${bad[0]?.reason ?? ''}`);
    for (let i = 0; i < 3; i++) await fleetCycle(); // the steady state: domstats + /proc every cycle
    const mem = process.memoryUsage(); // the collectors alone, warm; the floor's connections come next
    const rssMb = mem.rss / 2 ** 20;
    const vmsSeen = collectors.reduce((a, c) => a + (c.lastSnapshot?.vms.length ?? 0), 0);

    // the floor: the steady-state script over one persistent connection + sh per host, unparsed
    const script = buildBatch({ uri: 'qemu:///system', list: false, nodeinfo: false, pools: false }).script;
    const sessions = configs.map(
      (c) =>
        new SshSession({
          address: c.address,
          port: c.port ?? 22,
          user: c.user ?? 'root',
          auth: { identityFiles: [c.identityFile ?? ''] },
          verifyHostKey: (blob) => verifier.verify(c.address, c.port ?? 22, blob),
          gate: (task) => limiter.run(task),
        }),
    );
    const runners = sessions.map((s) => new ShellRunner(s));
    let bytes = 0;
    const floorCycle = () =>
      Promise.all(
        runners.map(async (r) => {
          const out = await r.run(script, 30_000);
          bytes += out.bytes.length;
        }),
      );
    await floorCycle();
    await floorCycle();
    bytes = 0;
    // interleaved, so both see the same simulator and the same machine
    const collector: Phase = { wallMs: [], cpuMs: [] };
    const floor: Phase = { wallMs: [], cpuMs: [] };
    for (let i = 0; i < CYCLES; i++) {
      const f = await measure(1, floorCycle);
      const c = await measure(1, fleetCycle);
      floor.wallMs.push(...f.wallMs);
      floor.cpuMs.push(...f.cpuMs);
      collector.wallMs.push(...c.wallMs);
      collector.cpuMs.push(...c.cpuMs);
    }
    collectors.forEach((c) => c.stop());
    runners.forEach((r) => r.close());
    sessions.forEach((s) => s.close());
    // the same collectors and moment in a plain-Node process of their own, then the real serve
    const child = await collectorProcessMemory(sim);
    const serve =
      SERVE_SEC > 0
        ? await measureServeMemory(sim.dir, { hosts: HOSTS, vms: VMS, seconds: SERVE_SEC, untuned: SERVE_UNTUNED })
        : null;

    const cycleMs = median(collector.wallMs);
    const floorMs = median(floor.wallMs);
    const pctOfCore = (ms: number) => (100 * ms) / (INTERVAL_SEC * 1000);
    process.stderr.write(
      `collector bench: ${HOSTS} hosts × ${VMS} VMs (${vmsSeen} VMs collected), first cycle with connects ${Math.round(connectMs)} ms, ` +
        `${(bytes / CYCLES / 2 ** 20).toFixed(1)} MiB per floor cycle; cycles ${collector.wallMs.map(Math.round).join(' ')} ms, ` +
        `floor ${floor.wallMs.map(Math.round).join(' ')} ms; CPU per cycle ${Math.round(median(collector.cpuMs))} ms (floor ${Math.round(median(floor.cpuMs))} ms); ` +
        `warm collectors: heap used ${Math.round(mem.heapUsed / 2 ** 20)} MB, external ${Math.round(mem.external / 2 ** 20)} MB, RSS ${Math.round(rssMb)} MB\n`,
    );
    process.stderr.write(
      `collectors in a plain-Node child (bundled from src/, no tsx): RSS ${Math.round(child.rssMb)} MB warm, ` +
        `${Math.round(child.idleMb)} MB before connecting; heap used ${Math.round(child.heapUsedMb)} MB, external ${Math.round(child.externalMb)} MB\n`,
    );
    if (serve) {
      process.stderr.write(
        `serve (out/, no client connected) over ${SERVE_SEC} s once all hosts were up: RSS max ${Math.round(serve.maxMb)} MB, ` +
          `median ${Math.round(serve.medianMb)} MB (${serve.samples} samples), VmHWM since start ${Math.round(serve.peakMb)} MB, ` +
          `CPU ${serve.cpuPct.toFixed(2)} % of a core; serve on an empty data dir ${Math.round(serve.idleMb)} MB\n`,
      );
      const u = serve.untuned;
      if (u) {
        process.stderr.write(
          `serve with VIRTDECK_HEAP_TUNING=0 (V8's own heap heuristics), fresh history: RSS max ${Math.round(u.maxMb)} MB, ` +
            `median ${Math.round(u.medianMb)} MB, VmHWM ${Math.round(u.peakMb)} MB, CPU ${u.cpuPct.toFixed(2)} % of a core\n`,
        );
      }
    }
    return [
      {
        name: 'collector.cycle_ms',
        value: cycleMs,
        unit: 'ms',
        target: +(1.5 * floorMs).toFixed(1),
        baseline: floorMs,
      },
      { name: 'collector.floor_ms', value: floorMs, unit: 'ms', target: null, baseline: null },
      {
        name: 'collector.cpu_pct',
        value: pctOfCore(median(collector.cpuMs)),
        unit: '% of a core at 10 s',
        target: 5,
        baseline: pctOfCore(median(floor.cpuMs)),
      },
      { name: 'collector.rss_mb', value: rssMb, unit: 'MB', target: 250, baseline: rssIdleMb },
      { name: 'collector.child_rss_mb', value: child.rssMb, unit: 'MB', target: 250, baseline: child.idleMb },
      ...(serve
        ? [
            { name: 'collector.serve_rss_mb', value: serve.maxMb, unit: 'MB', target: 250, baseline: serve.idleMb },
            {
              name: 'collector.serve_rss_median_mb',
              value: serve.medianMb,
              unit: 'MB',
              target: null,
              baseline: serve.untuned?.medianMb ?? null,
            },
            {
              name: 'collector.serve_cpu_pct',
              value: serve.cpuPct,
              unit: '% of a core',
              target: null,
              baseline: serve.untuned?.cpuPct ?? null,
            },
            ...(serve.untuned
              ? [
                  {
                    name: 'collector.serve_rss_untuned_mb',
                    value: serve.untuned.maxMb,
                    unit: 'MB',
                    target: null,
                    baseline: null,
                  },
                ]
              : []),
          ]
        : []),
    ];
  } finally {
    await sim.stop();
  }
}
