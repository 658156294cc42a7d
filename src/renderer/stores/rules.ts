// Warn rules: list, save (create or replace by id), remove, reset the shipped ones.
import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import { api } from '../api';
import type { RuleInput } from '../../shared/contract/warn-schemas';
import type { Rule } from '../../shared/model/warn';

export const useRulesStore = defineStore('rules', () => {
  const rules = shallowRef<Rule[]>([]);
  const error = shallowRef<string | null>(null);

  async function load() {
    try {
      rules.value = await api.call('rules.list', {});
      error.value = null;
    } catch (e) {
      error.value = (e as Error).message;
    }
  }

  async function save(rule: RuleInput) {
    const saved = await api.call('rules.save', rule);
    await load();
    return saved;
  }

  async function remove(id: string) {
    await api.call('rules.remove', { id });
    await load();
  }

  /** Where the rule as edited would fire now (its duration taken as met). */
  const preview = (rule: RuleInput) => api.call('rules.preview', rule);

  async function resetDefaults() {
    rules.value = await api.call('rules.resetDefaults', {});
  }

  async function setEnabled(rule: Rule, enabled: boolean) {
    await save({ ...rule, enabled } as RuleInput);
  }

  api.on('rules.changed', () => void load());

  return { rules, error, load, save, remove, preview, resetDefaults, setEnabled };
});
