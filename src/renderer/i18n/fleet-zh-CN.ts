// 全局视图（虚拟机列表、总览）的简体中文文字；并入 zh-CN.ts。键与 fleet-en.ts 一致。
import type fleetEn from './fleet-en';

const fleetZhCN: typeof fleetEn = {
  bulk: {
    button: '批量操作',
    confirmTitle: '{action} {n} 台虚拟机',
    confirmBody: '对 {n} 台虚拟机执行此操作？每台虚拟机一个任务，步骤见“任务”。',
    forceOffBody: '强制关机会立即切断 {n} 台虚拟机的电源，来宾中未保存的数据将丢失。',
    summary: '已排队 {queued} 个任务，拒绝 {rejected} 个',
  },
  overview: {
    title: '总览',
    hosts: '主机',
    vms: '虚拟机',
    committed: '已分配（运行中的虚拟机）',
    vcpus: 'vCPU / CPU',
    memory: '内存',
    alerts: '告警中',
    attention: '需要关注的主机',
    allGood: '所有主机正常，没有告警。',
    firing: '{n} 条告警',
    top: '最近 5 分钟前 10 名虚拟机',
    topBy: { cpu_pct: 'CPU', mem_pct: '内存', net_rx_bps: '网络收', disk_write_bps: '磁盘写', steal_pct: '争用' },
    noHistory: '还没有历史数据。',
    heatmap: '全局热力图（点击虚拟机打开）',
  },
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
