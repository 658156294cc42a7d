// The warn rules as a Prometheus alerting-rules file over the series /metrics exposes, so a team
// can move them to Prometheus unchanged in meaning: AND-ed conditions, `for`, severity, and the
// clear line (hysteresis) through the rule's own ALERTS series. What Prometheus cannot know
// (VirtDeck's "should run" marks, its own lifecycle actions) is said in the annotations.
import { stringify } from 'yaml';
import type { Condition, Rule, RuleScope, RuleTargetKind } from '../../shared/model/warn';
import { SERIES as S } from './exposition';
import { metricExpr, promString } from './promql';

/** A VirtDeck rule's `forCycles` becomes time at this collector interval (VirtDeck's default). */
export const DEFAULT_CYCLE_SEC = 10;

export interface ExportOptions {
  /** Host id → name (the `host` label); ids not found are used as they are. */
  hostName: (hostId: string) => string | null;
  cycleSec?: number;
}

interface PromRule {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** `300` → `5m`, `2400` → `40m`, `90` → `90s`. */
export function promDuration(sec: number): string {
  const s = Math.max(0, Math.round(sec));
  if (s > 0 && s % 3600 === 0) return `${s / 3600}h`;
  if (s > 0 && s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}

const camel = (text: string) =>
  (text.match(/[A-Za-z0-9]+/g) ?? []).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');

/** `High load` → `HighLoad` (alert names by Prometheus convention); `Rule…` when it starts with a digit. */
export function alertName(name: string): string {
  const c = camel(name);
  return /^[A-Za-z]/.test(c) ? c : `Rule${c}`;
}

/**
 * Alert names unique within one file (a rule's clear line refers to its own ALERTS series): a
 * name with no Latin letters (`高负载`) or one already taken gets the rule's id added.
 */
function uniqueAlertName(rule: Rule, used: Set<string>): string {
  const base = camel(rule.name);
  let name = /^[A-Za-z]/.test(base) ? base : `Rule${base}`;
  if (!/[A-Za-z]/.test(base) || used.has(name)) name = `${name}${camel(rule.id)}`;
  for (let i = 2; used.has(name); i++) name = `${name}${i}`;
  used.add(name);
  return name;
}

/** A picomatch-style glob as an (anchored, case-insensitive) RE2 regex. */
export function globToRegex(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob.charAt(i);
    if (c === '*') out += glob.charAt(i + 1) === '*' ? ((i += 1), '.*') : '.*';
    else if (c === '?') out += '.';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) out += '\\[';
      else {
        const body = glob.slice(i + 1, end).replace(/^!/, '^');
        out += `[${body.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else out += /[.+^${}()|\\]/.test(c) ? `\\${c}` : c;
  }
  return `(?i)${out}`;
}

const KEYS: Record<RuleTargetKind, string> = { vm: 'host, domain, uuid', host: 'host', pool: 'host, pool' };
const NAME_LABEL: Record<RuleTargetKind, string> = { vm: 'domain', host: 'host', pool: 'pool' };

function scopeMatchers(scope: RuleScope, kind: RuleTargetKind, opts: ExportOptions): string[] {
  const m: string[] = [];
  const name = (id: string) => opts.hostName(id) ?? id;
  if (scope.hostIds?.length) {
    const names = scope.hostIds.map((id) => name(id).replace(/[.+*?^${}()|[\]\\]/g, '\\$&'));
    m.push(`host=~${promString(names.join('|'))}`);
  }
  if (scope.namePattern) m.push(`${NAME_LABEL[kind]}=~${promString(globToRegex(scope.namePattern))}`);
  if (scope.targetId) {
    const [hostId, key] = scope.targetId.includes('/') ? scope.targetId.split('/', 2) : [scope.targetId, undefined];
    if (kind === 'host' || key === undefined) m.push(`host=${promString(name(hostId ?? ''))}`);
    else {
      m.push(`host=${promString(name(hostId ?? ''))}`);
      m.push(kind === 'vm' ? `uuid=${promString(key)}` : `pool=${promString(key)}`);
    }
  }
  return m;
}

const fmt = (v: number) => String(v);

function conditionsExpr(kind: RuleTargetKind, conds: readonly Condition[], sel: string[], clear: boolean): string {
  const parts = conds.map((c) => {
    const e = metricExpr(kind, c.metric, sel);
    if (e === null) throw new Error(`${c.metric} has no PromQL equivalent for a ${kind}`);
    return `(${e}) ${c.op} ${fmt(clear ? (c.clear ?? c.value) : c.value)}`;
  });
  return parts.length === 1 ? (parts[0] ?? '') : parts.map((p) => `(${p})`).join(` and on (${KEYS[kind]}) `);
}

function describeConditions(conds: readonly Condition[]): string {
  return conds
    .map((c) => `${c.metric} ${c.op} ${fmt(c.value)}${c.clear !== undefined ? ` (clears at ${fmt(c.clear)})` : ''}`)
    .join(' AND ');
}

function toPromRule(rule: Rule, alert: string, opts: ExportOptions): PromRule {
  const cycleSec = opts.cycleSec ?? DEFAULT_CYCLE_SEC;
  const labels = { severity: rule.severity, virtdeck_rule: rule.id };
  const annotations: Record<string, string> = { summary: rule.name };
  if (rule.description) annotations.description = rule.description;
  const notes: string[] = [];
  let expr: string;
  let forSec = 0;
  switch (rule.kind) {
    case 'threshold': {
      const sel = scopeMatchers(rule.scope, rule.target, opts);
      const fire = conditionsExpr(rule.target, rule.conditions, sel, false);
      const hysteresis = rule.conditions.some((c) => c.clear !== undefined);
      expr = hysteresis
        ? `(${fire}) or ((${conditionsExpr(rule.target, rule.conditions, sel, true)}) and on (${KEYS[rule.target]}) ` +
          `ALERTS{alertname=${promString(alert)}, alertstate="firing"})`
        : fire;
      forSec = rule.forCycles !== undefined ? rule.forCycles * cycleSec : rule.forSec;
      if (rule.forCycles !== undefined) notes.push(`${rule.forCycles} VirtDeck cycles at ${cycleSec} s`);
      annotations.virtdeck_condition = describeConditions(rule.conditions);
      break;
    }
    case 'vm-state': {
      const sel = [
        ...scopeMatchers(rule.scope, 'vm', opts),
        `state=~${promString(rule.states.join('|'))}`,
        ...(rule.reasons?.length ? [`reason=~${promString(rule.reasons.join('|'))}`] : []),
      ];
      expr = `${S.domainState}{${sel.join(', ')}} == 1`;
      if (rule.onlyWhenExpected) {
        expr = `(${expr}) and on (host, domain, uuid) (${S.domainAutostart} == 1)`;
        notes.push('"expected to run" is autostart here; VirtDeck also counts its "should run" marks');
      }
      forSec = rule.forSec;
      break;
    }
    case 'vm-vanished': {
      const sel = scopeMatchers(rule.scope, 'vm', opts);
      const cur = sel.length ? `${S.vstate}{${sel.join(', ')}}` : S.vstate;
      expr = `(max_over_time(${cur}[1h]) unless ${cur}) and on (host) (${S.up} == 1)`;
      notes.push('VirtDeck leaves out VMs it removed itself; Prometheus cannot tell');
      break;
    }
    case 'host-status': {
      const sel = [...scopeMatchers(rule.scope, 'host', opts), `status=~${promString(rule.statuses.join('|'))}`];
      expr = `${S.hostStatus}{${sel.join(', ')}} == 1`;
      forSec = rule.forSec;
      break;
    }
    case 'no-data': {
      const sel = scopeMatchers(rule.scope, 'host', opts);
      expr = `time() - ${sel.length ? `${S.hostLastSeen}{${sel.join(', ')}}` : S.hostLastSeen} > ${rule.afterSec}`;
      break;
    }
  }
  if (notes.length) annotations.virtdeck_note = notes.join('; ');
  return { alert, expr, ...(forSec > 0 ? { for: promDuration(forSec) } : {}), labels, annotations };
}

/** The rules file (one group, enabled rules only) and the rules left out, with why. */
export function exportPrometheusRules(
  rules: readonly Rule[],
  opts: ExportOptions,
): { yaml: string; skipped: string[]; count: number } {
  const out: PromRule[] = [];
  const skipped: string[] = [];
  const used = new Set<string>();
  for (const r of rules) {
    if (!r.enabled) {
      skipped.push(`${r.name}: disabled`);
      continue;
    }
    try {
      out.push(toPromRule(r, uniqueAlertName(r, used), opts));
    } catch (e) {
      skipped.push(`${r.name}: ${(e as Error).message}`);
    }
  }
  const header =
    '# VirtDeck warn rules as Prometheus alerting rules, over the series of `virtdeck serve --metrics`.\n' +
    '# Load with `rule_files:` in prometheus.yml; check with `promtool check rules <file>`.\n';
  const yaml = stringify({ groups: [{ name: 'virtdeck', rules: out }] }, { lineWidth: 0 });
  return { yaml: header + yaml, skipped, count: out.length };
}
