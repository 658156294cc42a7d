// Host CPU over the last minutes for the Hosts grid's sparklines: seeded from history once per
// host, then one value per host cycle from metrics.updated. Shallow: a new Map per update.
import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import { api } from '../api';
import { pushTrend, TREND_POINTS } from '../hosts/trend';
import { onNextFrame } from './frame-batch';

const SEED_WINDOW_MS = 10 * 60_000;

export const useHostTrendsStore = defineStore('hostTrends', () => {
  const cpu = shallowRef(new Map<string, (number | null)[]>());
  const seeded = new Set<string>();

  /** Host CPU values arrived since the last frame, in order (a host may report twice in one). */
  const arrived: [string, number | null][] = [];
  function apply() {
    if (!arrived.length) return;
    const next = new Map(cpu.value);
    for (const [hostId, value] of arrived) next.set(hostId, pushTrend(next.get(hostId) ?? [], value));
    arrived.length = 0;
    cpu.value = next;
  }

  /** The last ten minutes from history for hosts not seen yet (values already pushed stay last). */
  async function seed(hostIds: readonly string[]) {
    const to = Date.now();
    const todo = hostIds.filter((id) => !seeded.has(id));
    todo.forEach((id) => seeded.add(id));
    await Promise.all(
      todo.map(async (hostId) => {
        try {
          const r = await api.call('history.series', {
            target: { kind: 'host', hostId },
            metric: 'cpu_pct',
            from: to - SEED_WINDOW_MS,
            to,
            maxPoints: TREND_POINTS,
          });
          const past = r.avg.map((v) => (v !== null && Number.isFinite(v) ? v : null));
          const next = new Map(cpu.value);
          next.set(hostId, [...past, ...(next.get(hostId) ?? [])].slice(-TREND_POINTS));
          cpu.value = next;
        } catch {
          seeded.delete(hostId); // history unavailable: live values only, try again next time
        }
      }),
    );
  }

  api.on('metrics.updated', (s) => {
    arrived.push([s.hostId, s.host?.cpuPct ?? null]);
    onNextFrame(apply);
  });
  return { cpu, seed };
});
