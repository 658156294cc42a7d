// Collector cycle against 200 simulated hosts × 50 VMs (the simulator in its own process):
// wall time and client CPU of a whole fleet cycle through the real HostCollectors, against the
// bare transport floor — the same batch script over the same kind of persistent connection
// (one ssh2 connection and one remote sh per host), output fetched and nothing parsed — and
// the RSS of this (the main) process with the collectors warm. Collector and floor cycles
// alternate, so both meet the same simulator load. BENCH_HOSTS / BENCH_VMS / BENCH_CYCLES scale it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostConfig } from '../src/shared/model/host';
import { buildBatch } from '../src/main/collector/batch';
import { HostCollector } from '../src/main/collector/host-collector';
import { SessionSecrets } from '../src/main/config/session-secrets';
import { ConnectLimiter } from '../src/main/ssh/connect-limiter';
import { HostKeyStore } from '../src/main/ssh/host-key-store';
import { HostKeyVerifier } from '../src/main/ssh/host-key-verifier';
import { ShellRunner } from '../src/main/ssh/shell-runner';
import { SshSession } from '../src/main/ssh/ssh-session';
import type { Figure } from './lib/figures';
import { median } from './lib/figures';
import { requireBuild, startSimChild } from './lib/sim-child';

const HOSTS = Number(process.env.BENCH_HOSTS ?? 200);
const VMS = Number(process.env.BENCH_VMS ?? 50);
const CYCLES = Number(process.env.BENCH_CYCLES ?? 8);
const INTERVAL_SEC = 10;

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
    const configs = JSON.parse(readFileSync(sim.hostsJson, 'utf8')) as HostConfig[];
    const keys = new HostKeyStore(join(sim.dir, 'trusted-host-keys.json'));
    const verifier = new HostKeyVerifier(keys, []);
    const limiter = new ConnectLimiter(16);
    const collectors = configs.map(
      (config) =>
        new HostCollector(config, {
          verifier,
          limiter,
          secrets: new SessionSecrets(),
          sshConfigText: () => null,
          home: sim.dir,
          onView: () => undefined,
          onSnapshot: () => undefined,
        }),
    );
    const fleetCycle = () => Promise.all(collectors.map((c) => c.collectNow()));
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
          bytes += out.output.length;
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

    const cycleMs = median(collector.wallMs);
    const floorMs = median(floor.wallMs);
    const pctOfCore = (ms: number) => (100 * ms) / (INTERVAL_SEC * 1000);
    process.stderr.write(
      `collector bench: ${HOSTS} hosts × ${VMS} VMs (${vmsSeen} VMs collected), first cycle with connects ${Math.round(connectMs)} ms, ` +
        `${(bytes / CYCLES / 2 ** 20).toFixed(1)} MiB per floor cycle; cycles ${collector.wallMs.map(Math.round).join(' ')} ms, ` +
        `floor ${floor.wallMs.map(Math.round).join(' ')} ms; CPU per cycle ${Math.round(median(collector.cpuMs))} ms (floor ${Math.round(median(floor.cpuMs))} ms); ` +
        `warm collectors: heap used ${Math.round(mem.heapUsed / 2 ** 20)} MB, external ${Math.round(mem.external / 2 ** 20)} MB, RSS ${Math.round(rssMb)} MB\n`,
    );
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
    ];
  } finally {
    await sim.stop();
  }
}
