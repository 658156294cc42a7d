// Routes of the console (hash history: works from file:// in Electron and from serve mode).
import { createRouter, createWebHashHistory } from 'vue-router';

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', redirect: '/overview' },
    { path: '/overview', name: 'overview', component: () => import('../views/OverviewView.vue') },
    { path: '/hosts', name: 'hosts', component: () => import('../views/HostsView.vue') },
    { path: '/hosts/:hostId', name: 'host', component: () => import('../views/HostDetailView.vue') },
    { path: '/vms/:hostId/:uuid', name: 'vm', component: () => import('../views/VmDetailView.vue') },
    { path: '/vms', name: 'vms', component: () => import('../views/VmsView.vue') },
    { path: '/deploy', name: 'deploy', component: () => import('../views/DeployView.vue') },
    { path: '/groups', name: 'groups', component: () => import('../views/GroupsView.vue') },
    { path: '/alerts', name: 'alerts', component: () => import('../views/AlertsView.vue') },
    { path: '/rules', name: 'rules', component: () => import('../views/RulesView.vue') },
    { path: '/tasks', name: 'tasks', component: () => import('../views/TasksView.vue') },
    { path: '/settings', name: 'settings', component: () => import('../views/SettingsView.vue') },
  ],
});
