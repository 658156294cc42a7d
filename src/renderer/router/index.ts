// Routes of the console (hash history: works from file:// in Electron and from serve mode).
import { shallowRef } from 'vue';
import { createRouter, createWebHashHistory } from 'vue-router';
import { warmUpSchedule } from '../charts/warm-up-schedule';

// the two detail views carry the charts (ECharts: most of the renderer's code)
const vmDetail = () => import('../views/VmDetailView.vue');
const hostDetail = () => import('../views/HostDetailView.vue');

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', redirect: '/overview' },
    { path: '/overview', name: 'overview', component: () => import('../views/OverviewView.vue') },
    { path: '/hosts', name: 'hosts', component: () => import('../views/HostsView.vue') },
    { path: '/hosts/:hostId', name: 'host', component: hostDetail },
    { path: '/vms/:hostId/:uuid', name: 'vm', component: vmDetail, props: true },
    { path: '/vms', name: 'vms', component: () => import('../views/VmsView.vue') },
    { path: '/deploy', name: 'deploy', component: () => import('../views/DeployView.vue') },
    { path: '/groups', name: 'groups', component: () => import('../views/GroupsView.vue') },
    { path: '/alerts', name: 'alerts', component: () => import('../views/AlertsView.vue') },
    { path: '/rules', name: 'rules', component: () => import('../views/RulesView.vue') },
    { path: '/tasks', name: 'tasks', component: () => import('../views/TasksView.vue') },
    { path: '/settings', name: 'settings', component: () => import('../views/SettingsView.vue') },
  ],
});

/**
 * The rounds of the off-screen warm-up of the VM detail (charts/DetailWarmUp.vue) App.vue is to
 * mount now; 0 while none is due. Set in idle moments by the schedule (charts/warm-up-schedule.ts):
 * first once the detail views' code has loaded, then again every so often while no detail page
 * is open; cleared by App.vue when the warm-up has drawn (warmUpDone) and on opening a detail.
 */
export const detailWarmUpRounds = shallowRef(0);
const isDetail = (name: unknown) => name === 'vm' || name === 'host';
/** Input quiet this long lets a warm-up start (scrolling the grid, typing in a filter). */
const QUIET_MS = 2_000;
let lastInput = 0;
const onInput = () => void (lastInput = performance.now());
// capture: an element's scroll does not bubble
for (const type of ['scroll', 'wheel', 'keydown', 'pointerdown', 'pointermove', 'touchmove'])
  document.addEventListener(type, onInput, { capture: true, passive: true });
const idle = (f: () => void) => requestIdleCallback(f, { timeout: 10_000 });
const schedule = warmUpSchedule({
  detailOpen: () => isDetail(router.currentRoute.value.name),
  visible: () => document.visibilityState === 'visible',
  quiet: () => performance.now() - lastInput >= QUIET_MS,
  start: (rounds) =>
    idle(() => {
      if (isDetail(router.currentRoute.value.name)) schedule.detailOpened();
      else detailWarmUpRounds.value = rounds;
    }),
  setTimer: (f, ms) => setTimeout(f, ms),
  clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
});
router.afterEach((to) => {
  if (!isDetail(to.name)) return;
  detailWarmUpRounds.value = 0;
  schedule.detailOpened();
});

/** The warm-up App.vue mounted has drawn (it unmounts it). */
export function warmUpDone(): void {
  detailWarmUpRounds.value = 0;
  schedule.done();
}

/**
 * Loads the detail views' code once the app has settled and, in a later idle moment, starts the
 * warm-up schedule, so that the first VM or host opened waits for its data only, not also for
 * the code to arrive, be parsed, be compiled and run for the first time.
 */
export function prefetchDetailViews(): void {
  const load = () =>
    void Promise.all([vmDetail(), hostDetail(), import('../charts/DetailWarmUp.vue')])
      .then(() => schedule.begin())
      .catch(() => undefined);
  setTimeout(() => idle(load), 2000);
}
