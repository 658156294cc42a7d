// Which targets a rule applies to: host ids, a name glob (picomatch), a single target.
import picomatch from 'picomatch';
import type { RuleScope } from '../../shared/model/warn';

/** (host id, the target's key on its host — UUID, pool name, or the host id —, its name). */
export type ScopeTest = (hostId: string, key: string, name: string) => boolean;

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
      : (hostId, key, name) =>
          (!hosts || hosts.has(hostId)) &&
          (!target || target === key || target === `${hostId}/${key}`) &&
          (!glob || glob(name));
  cache.set(scope, test);
  return test;
}
