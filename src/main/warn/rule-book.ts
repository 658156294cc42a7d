// The rules in force: the shipped ones (as edited, unless removed) followed by the user's own.
// Stored bodies are validated again on load; one that no longer validates is skipped and logged.
import { ruleSchema } from '../../shared/contract/warn-schemas';
import type { Rule } from '../../shared/model/warn';
import type { WarnConfigRepo } from '../store/warn-config-repo';
import { DEFAULT_RULES } from './default-rules';

const BUILTIN_IDS = new Set(DEFAULT_RULES.map((r) => r.id));

export class RuleBook {
  private rules: Rule[] = [];

  constructor(
    private readonly repo: WarnConfigRepo,
    private readonly log: (line: string) => void,
  ) {
    this.reload();
  }

  private reload(): void {
    const { stored, removed } = this.repo.rules();
    const byId = new Map<string, Rule>();
    for (const body of stored) {
      const parsed = ruleSchema.safeParse(body);
      if (parsed.success) byId.set(parsed.data.id, parsed.data as Rule);
      else this.log(`warn: a stored rule is not valid any more and is ignored: ${parsed.error.message}`);
    }
    const rules: Rule[] = [];
    for (const r of DEFAULT_RULES) {
      if (removed.has(r.id)) continue;
      const edited = byId.get(r.id);
      rules.push(edited ? { ...edited, builtin: true } : r);
      byId.delete(r.id);
    }
    for (const r of byId.values()) rules.push({ ...r, builtin: false });
    this.rules = rules;
  }

  list(): readonly Rule[] {
    return this.rules;
  }

  isBuiltin(id: string): boolean {
    return BUILTIN_IDS.has(id);
  }

  save(rule: Rule, at: number): Rule {
    this.repo.saveRule({ ...rule, builtin: BUILTIN_IDS.has(rule.id) }, at);
    this.reload();
    return this.rules.find((r) => r.id === rule.id) ?? rule;
  }

  remove(id: string): boolean {
    if (!this.rules.some((r) => r.id === id)) return false;
    this.repo.removeRule(id, BUILTIN_IDS.has(id));
    this.reload();
    return true;
  }

  resetDefaults(): readonly Rule[] {
    this.repo.resetBuiltins([...BUILTIN_IDS]);
    this.reload();
    return this.rules;
  }
}
