// Which targets a rule applies to: host ids, a name glob (picomatch), a single target.
import picomatch from 'picomatch';
import type { RuleScope } from '../../shared/model/warn';

export type ScopeTest = (hostId: string, targetId: string, name: string) => boolean;

const cache = new WeakMap<RuleScope, ScopeTest>();

/** Compiled once per scope object (rules are replaced, never mutated, when edited). */
export function scopeTest(scope: RuleScope): ScopeTest {
  const hit = cache.get(scope);
  if (hit) return hit;
  const hosts = scope.hostIds?.length ? new Set(scope.hostIds) : null;
  const glob = scope.namePattern ? picomatch(scope.namePattern, { nocase: true, dot: true }) : null;
  const target = scope.targetId ?? null;
  const test: ScopeTest =
    !hosts && !glob && !target
      ? () => true
      : (hostId, targetId, name) =>
          (!hosts || hosts.has(hostId)) && (!target || target === targetId) && (!glob || glob(name));
  cache.set(scope, test);
  return test;
}
