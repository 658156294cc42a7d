// The warn rules as a Prometheus alerting-rules file: Prometheus's own promtool loads it, the
// shipped rules come back from the YAML with their names, durations, severities and thresholds,
// and promtool's rule unit tests show a rule keeps its meaning (its duration, and the clear line
// that holds a firing alert until the figure really drops).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { DEFAULT_RULES } from '../../src/main/warn/default-rules';
import { alertName, exportPrometheusRules, promDuration } from '../../src/main/prometheus/rules-export';
import type { Rule } from '../../src/shared/model/warn';
import { exportRulesCommand } from '../../src/main/headless/export-rules-command';
import { HistoryStore } from '../../src/main/store/history-store';
import { WarnConfigRepo } from '../../src/main/store/warn-config-repo';
import { RuleBook } from '../../src/main/warn/rule-book';
import { PROMTOOL } from '../helpers/prometheus';
import { tempDir } from '../helpers/temp';

interface PromRule {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

const hostName = (id: string) => (id === 'h1' ? 'hv01' : null);

function promtool(...args: string[]): string {
  try {
    return execFileSync(PROMTOOL, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    throw new Error(`promtool ${args.join(' ')} failed:\n${err.stdout ?? ''}${err.stderr ?? ''}`);
  }
}

describe.skipIf(!existsSync(PROMTOOL))('the Prometheus rules export', () => {
  const userRules: Rule[] = [
    ...DEFAULT_RULES,
    {
      id: 'u1',
      kind: 'threshold',
      name: 'Web pool nearly out of RAM',
      enabled: true,
      severity: 'critical',
      scope: { hostIds: ['h1'], namePattern: 'web-[0-9]*' },
      target: 'host',
      conditions: [{ metric: 'mem_available_kib', op: '<', value: 1048576 }],
      forSec: 90,
    },
    {
      id: 'u2',
      kind: 'threshold',
      name: 'Disabled one',
      enabled: false,
      severity: 'info',
      scope: {},
      target: 'vm',
      conditions: [{ metric: 'cpu_pct', op: '>', value: 1 }],
      forSec: 0,
    },
  ];
  const { yaml, skipped, count } = exportPrometheusRules(userRules, { hostName });

  it('passes promtool check rules', () => {
    const file = join(tempDir('rules'), 'virtdeck-rules.yml');
    writeFileSync(file, yaml);
    expect(promtool('check', 'rules', file)).toContain(`SUCCESS: ${count} rules found`);
    expect(count).toBe(DEFAULT_RULES.length + 1);
    expect(skipped).toEqual(['Disabled one: disabled']);
  });

  it('round-trips the shipped rules: names, for, severity and thresholds', () => {
    const doc = parse(yaml) as { groups: { name: string; rules: PromRule[] }[] };
    expect(doc.groups.map((g) => g.name)).toEqual(['virtdeck']);
    const byId = new Map(doc.groups[0]?.rules.map((r) => [r.labels.virtdeck_rule, r]));
    for (const rule of DEFAULT_RULES) {
      const p = byId.get(rule.id);
      expect(p, rule.id).toBeDefined();
      expect(p?.alert).toBe(alertName(rule.name));
      expect(p?.annotations.summary).toBe(rule.name);
      expect(p?.annotations.description).toBe(rule.description);
      expect(p?.labels.severity).toBe(rule.severity);
      const forSec =
        rule.kind === 'threshold' ? (rule.forCycles ?? 0) * 10 || rule.forSec : 'forSec' in rule ? rule.forSec : 0;
      expect(p?.for, rule.id).toBe(forSec > 0 ? promDuration(forSec) : undefined);
      if (rule.kind === 'threshold') {
        for (const c of rule.conditions) {
          expect(p?.expr).toContain(`) ${c.op} ${c.value}`);
          if (c.clear !== undefined) expect(p?.expr).toContain(`) ${c.op} ${c.clear}`);
        }
      }
      if (rule.kind === 'no-data') expect(p?.expr).toContain(`> ${rule.afterSec}`);
      if (rule.kind === 'host-status') expect(p?.expr).toContain(`status=~"${rule.statuses.join('|')}"`);
      if (rule.kind === 'vm-state') expect(p?.expr).toContain(`state=~"${rule.states.join('|')}"`);
    }
    expect(byId.get('idle-vm')?.for).toBe('40m');
    expect(byId.get('cpu-contention')?.for).toBe('5m');
    const scoped = byId.get('u1');
    expect(scoped?.expr).toContain('host=~"hv01"');
    expect(scoped?.expr).toContain('host=~"(?i)web-[0-9].*"');
    expect(scoped?.for).toBe('90s');
  });

  it("keeps a rule's meaning in Prometheus: fires after its duration, holds until the clear line", () => {
    const dir = tempDir('rules-test');
    writeFileSync(join(dir, 'rules.yml'), yaml);
    const doc = parse(yaml) as { groups: { rules: PromRule[] }[] };
    const rule = doc.groups[0]?.rules.find((r) => r.labels.virtdeck_rule === 'cpu-contention');
    const vm = { host: 'hv01', domain: 'web-1', uuid: '11111111-2222-4333-8444-555555555555' };
    const sel = `{host="hv01",domain="web-1",uuid="${vm.uuid}"}`;
    const firing = [{ exp_labels: { ...rule?.labels, ...vm }, exp_annotations: rule?.annotations }];
    // steal per 15 s step: 12 % of one vCPU for 10 min, then 6 % (between the clear line 5 and
    // the firing line 10) for 10 min, then 2 % for 10 min
    const tests = {
      rule_files: ['rules.yml'],
      evaluation_interval: '15s',
      tests: [
        {
          interval: '15s',
          input_series: [
            { series: `libvirt_domain_vcpu_delay_seconds_total${sel}`, values: '0+1.8x39 72+0.9x39 108+0.3x39' },
            { series: `libvirt_domain_info_virtual_cpus${sel}`, values: '1x119' },
          ],
          alert_rule_test: [
            { eval_time: '4m', alertname: rule?.alert, exp_alerts: [] },
            { eval_time: '8m', alertname: rule?.alert, exp_alerts: firing },
            { eval_time: '16m', alertname: rule?.alert, exp_alerts: firing },
            { eval_time: '26m', alertname: rule?.alert, exp_alerts: [] },
          ],
        },
      ],
    };
    writeFileSync(join(dir, 'tests.yml'), stringify(tests));
    expect(promtool('test', 'rules', join(dir, 'tests.yml'))).toContain('SUCCESS');
  });

  it('`virtdeck export-rules` writes the rules of a data directory, edits included', () => {
    const dataDir = tempDir('export-rules');
    const store = new HistoryStore({ path: join(dataDir, 'history.db') });
    const book = new RuleBook(new WarnConfigRepo(store.db), () => undefined);
    const shipped = DEFAULT_RULES.find((r) => r.id === 'cpu-contention');
    if (shipped?.kind !== 'threshold') throw new Error('cpu-contention is a threshold rule');
    book.save({ ...shipped, forSec: 600, conditions: [{ metric: 'steal_pct', op: '>=', value: 25 }] }, Date.now());
    book.save({ ...shipped, id: 'off', name: 'Off', enabled: false, builtin: false }, Date.now());
    store.close();
    const out = join(dataDir, 'rules.yml');
    const errors: string[] = [];
    expect(exportRulesCommand(['--data-dir', dataDir, '--out', out], (l) => errors.push(l))).toBe(0);
    expect(errors).toEqual(['left out: Off: disabled\n']);
    expect(promtool('check', 'rules', out)).toContain(`SUCCESS: ${DEFAULT_RULES.length} rules found`);
    const doc = parse(readFileSync(out, 'utf8')) as { groups: { rules: PromRule[] }[] };
    const edited = doc.groups[0]?.rules.find((r) => r.labels.virtdeck_rule === 'cpu-contention');
    expect(edited?.for).toBe('10m');
    expect(edited?.expr).toContain(') >= 25');
    expect(edited?.expr).not.toContain('ALERTS'); // no clear line any more
  });
});
