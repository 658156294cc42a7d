// Keyboard navigation: `g` then o / h / v / a / r / t / s goes to Overview, Hosts, VMs, Alerts,
// Rules, Tasks, Settings (not while typing in a field).
import { onBeforeUnmount } from 'vue';
import type { Router } from 'vue-router';

export const GO_KEYS: Readonly<Record<string, string>> = {
  o: '/overview',
  h: '/hosts',
  v: '/vms',
  a: '/alerts',
  r: '/rules',
  t: '/tasks',
  s: '/settings',
};

/** The route a key completes after `g`, or null. Pure, for tests. */
export function goTarget(prev: string | null, key: string): string | null {
  return prev === 'g' ? (GO_KEYS[key] ?? null) : null;
}

export function useGoKeys(router: Router): void {
  let prev: string | null = null;
  let at = 0;
  const onKey = (e: KeyboardEvent) => {
    const tag = (e.target as HTMLElement | null)?.tagName;
    if (tag === 'INPUT' || tag === 'TEXTAREA' || e.ctrlKey || e.metaKey || e.altKey) return;
    const to = Date.now() - at < 1500 ? goTarget(prev, e.key) : null;
    if (to) {
      e.preventDefault();
      void router.push(to);
      prev = null;
      return;
    }
    prev = e.key;
    at = Date.now();
  };
  window.addEventListener('keydown', onKey);
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey));
}
