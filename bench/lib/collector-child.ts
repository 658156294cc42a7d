// The collector bench's memory phase in a process of its own, run by plain Node from a bundle
// (collector-process.ts builds it), so neither tsx nor its TypeScript tooling is in the figure:
// RSS before connecting, then after the first cycle and the warm-up cycles, as one JSON line.
import { simCollectors } from './sim-collectors';

async function main(): Promise<void> {
  const [dir, hostsJson, warm] = process.argv.slice(2);
  if (!dir || !hostsJson) throw new Error('usage: collector-child DIR HOSTS_JSON [WARM_CYCLES]');
  const idle = process.memoryUsage();
  const fleet = simCollectors({ dir, hostsJson });
  const first = await fleet.fleetCycle();
  const bad = first.filter((v) => v.status !== 'ok');
  if (bad.length) throw new Error(`${bad.length} hosts not ok: ${bad[0]?.reason ?? ''}`);
  for (let i = 0; i < Number(warm ?? 3); i++) await fleet.fleetCycle();
  const mem = process.memoryUsage();
  fleet.collectors.forEach((c) => c.stop());
  process.stdout.write(
    JSON.stringify({ idleRss: idle.rss, rss: mem.rss, heapUsed: mem.heapUsed, external: mem.external }) + '\n',
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`collector-child: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
