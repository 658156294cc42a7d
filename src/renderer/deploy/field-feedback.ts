// NFormItem props for a field from the wizard's problems: status colour and translated message
// (an empty object when the field is fine).
import { useI18n } from 'vue-i18n';
import { problemFor } from './wizard';
import type { Problem } from './wizard';

export function useFieldFeedback(problems: () => readonly Problem[]) {
  const { t } = useI18n();
  return (field: string): { feedback?: string; validationStatus?: 'error' | 'warning' } => {
    const p = problemFor(problems(), field);
    return p ? { feedback: t(`deploy.check.${p.key}`, p.params ?? {}), validationStatus: p.level } : {};
  };
}
