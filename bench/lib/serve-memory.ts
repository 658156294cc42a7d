// The RSS of VirtDeck's real main process: `serve` from the build (collector, store and warn
// engine together) on the simulator's data dir, sampled through whole collection cycles once
// every host has delivered its first complete cycle; baseline: the same program on an empty
// data dir (nothing to connect to).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import type { HostView } from '../../src/shared/model/host';
import { createClient } from '../../src/shared/rpc/client';
import { webSocketClientTransport } from '../../src/renderer/api/ws-transport';
import { procRss } from './proc-rss';
import { startServeChild } from './serve-child';

export interface ServeMemory {
  /** Highest VmRSS sampled over the measured window. */
  maxMb: number;
  medianMb: number;
  /** VmHWM at the end: the peak since start, the connect burst of the first cycle included. */
  peakMb: number;
  /** Serve on an empty data dir, a few seconds after it printed its URL. */
  idleMb: number;
  samples: number;
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
async function waitFleetUp(url: string, hosts: number, vms: number): Promise<void> {
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

export async function measureServeMemory(
  dataDir: string,
  opts: { hosts: number; vms: number; seconds: number },
): Promise<ServeMemory> {
  const idleMb = await idleRss();
  const served = await startServeChild(dataDir);
  try {
    await waitFleetUp(served.url, opts.hosts, opts.vms);
    const pid = served.child.pid as number;
    const samples: number[] = [];
    const end = Date.now() + opts.seconds * 1000;
    while (Date.now() < end) {
      samples.push(procRss(pid).rssMb);
      await sleep(250);
    }
    const sorted = [...samples].sort((a, b) => a - b);
    return {
      maxMb: sorted.at(-1) ?? NaN,
      medianMb: sorted[Math.floor(sorted.length / 2)] ?? NaN,
      peakMb: procRss(pid).peakMb,
      idleMb,
      samples: samples.length,
    };
  } finally {
    await served.stop();
  }
}
