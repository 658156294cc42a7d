// The per-rule tests the evaluator runs on figures, compiled once per rule, and the reasons an
// alert carries (built only when an alert starts or fires).
import type { HostFigures, PoolFigures, VmFigures } from '../../shared/model/metrics';
import type { RuleOp, RuleTargetKind, ThresholdRule } from '../../shared/model/warn';
import type { HostObservation } from './eval-state';
import { readerFor } from './metric-values';

type Tri = boolean | null;

export function holds(op: RuleOp, v: number, line: number): boolean {
  switch (op) {
    case '>':
      return v > line;
    case '>=':
      return v >= line;
    case '<':
      return v < line;
    case '<=':
      return v <= line;
    case '==':
      return v === line;
    case '!=':
      return v !== line;
  }
}

export interface ThresholdCheck {
  vm(fig: VmFigures, firing: boolean): Tri;
  host(fig: HostFigures, firing: boolean): Tri;
  pool(fig: PoolFigures, firing: boolean): Tri;
  reason(
    fig: VmFigures | HostFigures | PoolFigures,
    kind: RuleTargetKind,
  ): { text: string; data: Record<string, unknown> };
}

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(Math.abs(v) < 10 ? 2 : 1));

function compile<T>(rule: ThresholdRule, kind: RuleTargetKind): (fig: T, firing: boolean) => Tri {
  const conds = rule.conditions.map((c) => ({
    read: readerFor(kind as 'vm', c.metric) as unknown as (x: T) => number | null,
    op: c.op,
    value: c.value,
    clear: c.clear ?? c.value,
  }));
  // AND in three-valued logic: any false → false; else any unknown → unknown
  return (fig, firing) => {
    let unknown = false;
    for (const c of conds) {
      const v = c.read(fig);
      if (v === null || Number.isNaN(v)) {
        unknown = true;
        continue;
      }
      if (!holds(c.op, v, firing ? c.clear : c.value)) return false;
    }
    return unknown ? null : true;
  };
}

const cache = new WeakMap<ThresholdRule, ThresholdCheck>();

export function thresholdCheck(rule: ThresholdRule): ThresholdCheck {
  const hit = cache.get(rule);
  if (hit) return hit;
  const duration =
    rule.forCycles !== undefined ? ` for ${rule.forCycles} cycles` : rule.forSec > 0 ? ` for ${rule.forSec} s` : '';
  const check: ThresholdCheck = {
    vm: compile<VmFigures>(rule, 'vm'),
    host: compile<HostFigures>(rule, 'host'),
    pool: compile<PoolFigures>(rule, 'pool'),
    reason(fig, kind) {
      const values: Record<string, number | null> = {};
      const parts = rule.conditions.map((c) => {
        const v = (readerFor(kind as 'vm', c.metric) as (x: typeof fig) => number | null)(fig);
        values[c.metric] = v;
        return `${c.metric} ${v === null ? '?' : fmt(v)} ${c.op} ${fmt(c.value)}`;
      });
      return { text: parts.join(' AND ') + duration, data: { values, conditions: rule.conditions } };
    },
  };
  cache.set(rule, check);
  return check;
}

export function vmStateReason(vm: VmFigures, hostName: string, expected: string | null) {
  const state = vm.reason && vm.reason !== 'unknown' ? `${vm.state} (${vm.reason})` : vm.state;
  const why = expected ? ` although it should run: ${expected}` : '';
  return {
    text: `VM '${vm.name}' on '${hostName}' is ${state}${why}`,
    data: { state: vm.state, reason: vm.reason, expected },
  };
}

export function hostStatusReason(h: HostObservation) {
  return {
    text: `host '${h.name}' is ${h.status}${h.reason ? `: ${h.reason}` : ''}`,
    data: { status: h.status, reason: h.reason },
  };
}

export function noDataReason(h: HostObservation, now: number) {
  const last = h.lastSeen;
  const ago = Math.round((now - (last ?? h.watchedSince)) / 1000);
  return {
    text: last
      ? `no data from '${h.name}' for ${ago} s (last at ${new Date(last).toISOString()})`
      : `no data from '${h.name}' since VirtDeck started watching it ${ago} s ago`,
    data: { lastSeen: last, silentSec: ago },
  };
}
