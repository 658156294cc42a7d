import { afterEach, describe, expect, it, vi } from 'vitest';
import { callOnce, scheduleHistoryWarmUp, warmUpRequest, warmUpTarget } from '../../../src/main/history-warmup';
import { VM_DETAIL_METRICS } from '../../../src/shared/model/vm-detail';
import type { ParamsOut } from '../../../src/shared/contract/api';
import type { SeriesResult } from '../../../src/shared/model/history';
import { RpcError } from '../../../src/shared/contract/errors';
import { EventHub } from '../../../src/shared/rpc/event-hub';
import type { Handlers } from '../../../src/shared/rpc/server';

const series: SeriesResult = { tier: '1m', stepSec: 180, ts: [1000, 2000], avg: [1, 2], min: [0, 1], max: [2, 3] };

/** Handlers with only seriesMany (the warm-up calls nothing else). */
function handlersWith(seriesMany: (p: ParamsOut<'history.seriesMany'>) => SeriesResult[]): Handlers {
  return { 'history.seriesMany': seriesMany } as unknown as Handlers;
}

const U1 = '6c5d2f9e-0b1a-4c3d-9e8f-7a6b5c4d3e2f';
const U2 = '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';

afterEach(() => {
  vi.useRealTimers();
});

describe('history warm-up', () => {
  it("asks for the VM detail's series over 24 h", () => {
    const target = { kind: 'vm' as const, hostId: 'h', uuid: 'u' };
    const r = warmUpRequest(target, 100_000_000);
    expect(r).toMatchObject({
      target,
      metrics: [...VM_DETAIL_METRICS],
      from: 100_000_000 - 86_400_000,
      to: 100_000_000,
    });
    expect(r.maxPoints).toBeGreaterThanOrEqual(300);
  });

  it('picks the VM with the newest stored value, or none', () => {
    expect(warmUpTarget([])).toBeNull();
    expect(
      warmUpTarget([
        { hostId: 'a', uuid: '1', name: 'x', value: 1, ts: 5 },
        { hostId: 'b', uuid: '2', name: 'y', value: 1, ts: 9 },
        { hostId: 'c', uuid: '3', name: 'z', value: null, ts: 7 },
      ]),
    ).toEqual({ kind: 'vm', hostId: 'b', uuid: '2' });
  });

  it('runs the call through the RPC server (validated) and drops events meanwhile', async () => {
    const hub = new EventHub();
    const seen: ParamsOut<'history.seriesMany'>[] = [];
    const handlers = handlersWith((p) => {
      seen.push(p);
      hub.emit('history.statusChanged', { ok: true, problem: null, message: null, lastWrite: null, path: 'x' });
      return p.metrics.map(() => series);
    });
    const target = { kind: 'vm' as const, hostId: 'h', uuid: U1 };
    const length = await callOnce(handlers, hub, 'history.seriesMany', warmUpRequest(target, 100_000_000));
    const expected = JSON.stringify({ t: 'res', id: 1, result: VM_DETAIL_METRICS.map(() => series) }).length;
    expect(length).toBe(expected);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.metrics).toEqual([...VM_DETAIL_METRICS]);
    // the one-request connection is closed: it no longer listens to the hub
    const listen = vi.fn();
    hub.subscribe(listen);
    hub.emit('history.statusChanged', { ok: true, problem: null, message: null, lastWrite: null, path: 'x' });
    expect(listen).toHaveBeenCalledTimes(1);
  });

  it('resolves null when the call fails or its params are refused', async () => {
    const hub = new EventHub();
    const failing = handlersWith(() => {
      throw new RpcError('unavailable', 'history is not available');
    });
    const target = { kind: 'vm' as const, hostId: 'h', uuid: U1 };
    expect(await callOnce(failing, hub, 'history.seriesMany', warmUpRequest(target, 100_000_000))).toBeNull();
    const ok = handlersWith((p) => p.metrics.map(() => series));
    expect(await callOnce(ok, hub, 'history.seriesMany', { target, metrics: [], from: 2, to: 1 })).toBeNull();
  });

  it('runs at each delay with the VM picked when scheduled, and not after cancel', async () => {
    vi.useFakeTimers();
    const hub = new EventHub();
    const calls: ParamsOut<'history.seriesMany'>[] = [];
    const handlers = handlersWith((p) => {
      calls.push(p);
      return p.metrics.map(() => series);
    });
    const picks = [
      { kind: 'vm' as const, hostId: 'h', uuid: U1 },
      { kind: 'vm' as const, hostId: 'h', uuid: U2 },
    ];
    const target = vi.fn(() => picks.shift() ?? null);
    const cancel = scheduleHistoryWarmUp({ handlers, hub, target, delaysMs: [10, 20, 30], now: () => 200_000_000 });
    expect(target).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(25);
    expect(calls.map((c) => c.target)).toEqual([
      { kind: 'vm', hostId: 'h', uuid: U1 },
      { kind: 'vm', hostId: 'h', uuid: U1 },
    ]);
    expect(target).toHaveBeenCalledTimes(1);
    cancel();
    await vi.advanceTimersByTimeAsync(100);
    expect(calls).toHaveLength(2);
  });

  it('skips a run while there is no VM with history, and asks again at the next', async () => {
    vi.useFakeTimers();
    const hub = new EventHub();
    const calls: ParamsOut<'history.seriesMany'>[] = [];
    const handlers = handlersWith((p) => {
      calls.push(p);
      return p.metrics.map(() => series);
    });
    const picks = [null, null, { kind: 'vm' as const, hostId: 'h', uuid: U1 }];
    const target = vi.fn(() => picks.shift() ?? null);
    scheduleHistoryWarmUp({ handlers, hub, target, delaysMs: [10, 20, 30], now: () => 200_000_000 });
    await vi.advanceTimersByTimeAsync(15);
    expect(calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(20);
    expect(calls).toHaveLength(2);
    expect(target).toHaveBeenCalledTimes(3);
  });
});
