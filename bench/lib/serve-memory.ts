// The RSS of VirtDeck's real main process: `serve` from the build (collector, store and warn
// engine together) on the simulator's data dir, sampled through whole collection cycles once
// every host has delivered its first complete cycle; baseline: the same program on an empty
// data dir (nothing to connect to). Also its CPU over that window, and the same measurement with
// the app's heap tuning turned off (VIRTDECK_HEAP_TUNING=0, src/main/heap-tuning.ts) on a fresh
// history file, so the tuning's cost and gain are measured in the same run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import type { HostView } from '../../src/shared/model/host';
import { createClient } from '../../src/shared/rpc/client';
import { webSocketClientTransport } from '../../src/renderer/api/ws-transport';
import { procCpuMs, procRss } from './proc-rss';
import { startServeChild } from './serve-child';

export interface ServeMemory {
  /** Highest VmRSS sampled over the measured window. */
  maxMb: number;
  medianMb: number;
  /** VmHWM at the end: the peak since start, the connect burst of the first cycle included. */
  peakMb: number;
  /** CPU of the serve process over the measured window, % of one core. */
  cpuPct: number;
  /** Serve on an empty data dir, a few seconds after it printed its URL. */
  idleMb: number;
  samples: number;
}

export interface ServeMemoryRun extends ServeMemory {
  /** The same measurement with V8's own heap heuristics (VIRTDECK_HEAP_TUNING=0). */
  untuned: Omit<ServeMemory, 'idleMb'> | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function idleRss(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'vd-serve-idle-'));
  const served = await startServeChild(dir);
  try {
    await sleep(3000);
    return procRss(served.child.pid as number).rssMb;
  } finally {
    await served.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Waits (polling hosts.list, then disconnecting) until every host has a complete cycle. */
export async function waitFleetUp(url: string, hosts: number, vms: number): Promise<void> {
  const u = new URL(url);
  const socket = new WebSocket(`ws://${u.host}/rpc?token=${u.searchParams.get('token') ?? ''}`);
  const client = createClient(webSocketClientTransport(socket));
  const up = (h: HostView) => h.status === 'ok' && h.vms.length === vms;
  const deadline = Date.now() + 120_000;
  try {
    for (;;) {
      const list = await client.call('hosts.list', {});
      if (list.filter(up).length === hosts) return;
      if (Date.now() > deadline) throw new Error(`serve: only ${list.filter(up).length} of ${hosts} hosts up in 120 s`);
      await sleep(1000);
    }
  } finally {
    // no client stays connected while measuring: a headless serve with no browser open
    client.close();
    socket.close();
  }
}

async function sampleServe(
  dataDir: string,
  opts: { hosts: number; vms: number; seconds: number },
  env: NodeJS.ProcessEnv,
): Promise<Omit<ServeMemory, 'idleMb'>> {
  const served = await startServeChild(dataDir, env);
  try {
    await waitFleetUp(served.url, opts.hosts, opts.vms);
    const pid = served.child.pid as number;
    const samples: number[] = [];
    const cpu0 = procCpuMs(pid);
    const t0 = Date.now();
    const end = t0 + opts.seconds * 1000;
    while (Date.now() < end) {
      samples.push(procRss(pid).rssMb);
      await sleep(250);
    }
    const cpuPct = (100 * (procCpuMs(pid) - cpu0)) / (Date.now() - t0);
    const sorted = [...samples].sort((a, b) => a - b);
    return {
      maxMb: sorted.at(-1) ?? NaN,
      medianMb: sorted[Math.floor(sorted.length / 2)] ?? NaN,
      peakMb: procRss(pid).peakMb,
      cpuPct,
      samples: samples.length,
    };
  } finally {
    await served.stop();
  }
}

/** Removes the history a serve run wrote, so the next run starts on the same fresh file. */
function dropHistory(dataDir: string): void {
  for (const f of ['history.db', 'history.db-wal', 'history.db-shm']) rmSync(join(dataDir, f), { force: true });
}

export async function measureServeMemory(
  dataDir: string,
  opts: { hosts: number; vms: number; seconds: number; untuned: boolean },
): Promise<ServeMemoryRun> {
  const idleMb = await idleRss();
  const tuned = await sampleServe(dataDir, opts, {});
  let untuned = null;
  if (opts.untuned) {
    dropHistory(dataDir);
    untuned = await sampleServe(dataDir, opts, { VIRTDECK_HEAP_TUNING: '0' });
  }
  return { ...tuned, idleMb, untuned };
}
