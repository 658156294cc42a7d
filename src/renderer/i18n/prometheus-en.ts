// English UI text of the scale-out path (Prometheus history source, rules export); spread into en.ts.
export default {
  prometheus: {
    title: 'Prometheus',
    intro:
      'Charts can read from a Prometheus that scrapes `virtdeck serve --metrics`: for ranges the local history does not cover, or always.',
    url: 'Prometheus URL',
    urlPlaceholder: 'http://127.0.0.1:9090 (empty: off)',
    token: 'Bearer token',
    tokenHeld: 'A token is held ({where}); type a new one to replace it.',
    tokenKeychain: 'encrypted by the OS keychain',
    tokenSession: 'for this session only',
    tokenPlaceholder: 'optional',
    forgetToken: 'Forget the token',
    mode: 'Use it',
    modeBeyond: 'Beyond local retention',
    modeAlways: 'Always',
    save: 'Save',
    saved: 'Prometheus settings saved',
    source: 'Source',
    sourceLocal: 'local history',
    sourcePrometheus: 'Prometheus',
    exportRules: 'Export for Prometheus',
    exported: '{n} rules exported',
    skipped: 'Left out: {list}',
  },
};
