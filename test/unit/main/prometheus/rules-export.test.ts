// Pieces of the rules export that promtool does not see: alert names stay unique (a clear line
// refers to its own rule's ALERTS), globs become anchored case-insensitive regexes, durations.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  alertName,
  exportPrometheusRules,
  globToRegex,
  promDuration,
} from '../../../../src/main/prometheus/rules-export';
import type { Rule } from '../../../../src/shared/model/warn';

const rule = (id: string, name: string): Rule => ({
  id,
  kind: 'threshold',
  name,
  enabled: true,
  severity: 'warning',
  scope: {},
  target: 'vm',
  conditions: [{ metric: 'cpu_pct', op: '>=', value: 90, clear: 80 }],
  forSec: 60,
});

describe('the rules export', () => {
  it('names alerts in CamelCase, unique within the file', () => {
    expect(alertName('High load')).toBe('HighLoad');
    expect(alertName('5xx errors')).toBe('Rule5xxErrors');
    const { yaml } = exportPrometheusRules(
      [rule('a', 'High load'), rule('b', 'High-load'), rule('cn-1', '高负载'), rule('cn-2', '高负载')],
      { hostName: () => null },
    );
    const rules = (parse(yaml) as { groups: { rules: { alert: string; expr: string }[] }[] }).groups[0]?.rules ?? [];
    expect(rules.map((r) => r.alert)).toEqual(['HighLoad', 'HighLoadB', 'RuleCn1', 'RuleCn2']);
    for (const r of rules) expect(r.expr).toContain(`ALERTS{alertname="${r.alert}", alertstate="firing"}`);
  });

  it('turns name globs into anchored, case-insensitive RE2 regexes', () => {
    expect(globToRegex('web-*')).toBe('(?i)web-.*');
    expect(globToRegex('db-[0-9]?.prod')).toBe('(?i)db-[0-9].\\.prod');
    expect(globToRegex('[!x]*')).toBe('(?i)[^x].*');
  });

  it('writes durations in the largest whole unit', () => {
    expect([promDuration(0), promDuration(90), promDuration(300), promDuration(2400), promDuration(7200)]).toEqual([
      '0s',
      '90s',
      '5m',
      '40m',
      '2h',
    ]);
  });
});
