// Routes of the console (hash history: works from file:// in Electron and from serve mode).
import { shallowRef } from 'vue';
import { createRouter, createWebHashHistory } from 'vue-router';

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
 * True from an idle moment after the detail views' code has loaded until the off-screen warm-up
 * of the VM detail (charts/DetailWarmUp.vue, mounted by App.vue meanwhile) has drawn; never set
 * once a detail page has been opened (it compiled the same code itself).
 */
export const detailWarmUpDue = shallowRef(false);
let detailOpened = false;
router.afterEach((to) => {
  if (to.name !== 'vm' && to.name !== 'host') return;
  detailOpened = true;
  detailWarmUpDue.value = false;
});

/**
 * Loads the detail views' code once the app has settled and, in a later idle moment, has the VM
 * detail mounted off-screen with its four charts drawn (then thrown away), so that the first VM
 * or host opened waits for its data only, not also for the code to arrive, be parsed, be
 * compiled and run for the first time.
 */
export function prefetchDetailViews(): void {
  const idle = (f: () => void) => requestIdleCallback(f, { timeout: 10_000 });
  const load = () =>
    void Promise.all([vmDetail(), hostDetail(), import('../charts/DetailWarmUp.vue')])
      .then(() =>
        idle(() => {
          if (!detailOpened) detailWarmUpDue.value = true;
        }),
      )
      .catch(() => undefined);
  setTimeout(() => idle(load), 2000);
}
