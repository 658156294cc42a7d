// 全局视图（虚拟机列表、总览）的简体中文文字；并入 zh-CN.ts。键与 fleet-en.ts 一致。
import type fleetEn from './fleet-en';

const fleetZhCN: typeof fleetEn = {
  grid: {
    title: '虚拟机',
    count: '{shown} / {total}',
    search: '搜索（ / ）',
    allHosts: '所有主机',
    allStates: '所有状态',
    withAlerts: '有告警',
    columns: '列',
    selected: '已选 {n} 台',
    empty: '还没有虚拟机：请先添加主机。',
    noMatch: '没有符合筛选条件的虚拟机。',
    stale: '已有 {s} 秒没有新数据',
    col: {
      name: '名称',
      host: '主机',
      state: '状态',
      vcpus: 'vCPU',
      cpu: 'CPU',
      steal: '争用',
      mem: '内存',
      netRx: '网络收',
      netTx: '网络发',
      diskRead: '磁盘读',
      diskWrite: '磁盘写',
      alerts: '告警',
    },
  },
};

export default fleetZhCN;
