// Silences and maintenance windows: whether an alert is held back now. One place, used by the
// evaluator (notify or not), the engine (what the UI shows) and the silence handler.
import type { AlertTarget, MaintenanceWindow, Silence } from '../../shared/model/warn';

/** A silence covers a rule (all targets), a target (a host covers its VMs and pools), or both. */
export function silenceCovers(s: Silence, ruleId: string, target: AlertTarget): boolean {
  return (
    (s.ruleId === null || s.ruleId === ruleId) &&
    (s.targetId === null || s.targetId === target.id || s.targetId === target.hostId)
  );
}

/** Until when notifications for this rule × target are held back, or null. */
export function silencedUntil(
  silences: readonly Silence[],
  ruleId: string,
  target: AlertTarget,
  now: number,
): number | null {
  let until: number | null = null;
  for (const s of silences)
    if (s.until > now && silenceCovers(s, ruleId, target)) until = Math.max(until ?? 0, s.until);
  return until;
}

export function inMaintenance(windows: readonly MaintenanceWindow[], hostId: string, now: number): boolean {
  return windows.some((m) => m.hostId === hostId && m.from <= now && now < m.until);
}
