// 扩展路径（Prometheus 历史数据源、规则导出）的简体中文界面文字；展开到 zh-CN.ts。
export default {
  prometheus: {
    title: 'Prometheus',
    intro:
      '图表可以从抓取 `virtdeck serve --metrics` 的 Prometheus 读取数据：仅用于本地历史未覆盖的时间范围，或始终使用。',
    url: 'Prometheus 地址',
    urlPlaceholder: 'http://127.0.0.1:9090（留空：关闭）',
    token: 'Bearer 令牌',
    tokenHeld: '已保存令牌（{where}）；输入新令牌可替换。',
    tokenKeychain: '由系统钥匙串加密',
    tokenSession: '仅限本次会话',
    tokenPlaceholder: '可选',
    forgetToken: '清除令牌',
    mode: '使用方式',
    modeBeyond: '超出本地保留期时',
    modeAlways: '始终',
    save: '保存',
    saved: 'Prometheus 设置已保存',
    source: '数据来源',
    sourceLocal: '本地历史',
    sourcePrometheus: 'Prometheus',
    exportRules: '导出为 Prometheus 规则',
    exported: '已导出 {n} 条规则',
    skipped: '未导出：{list}',
  },
};
