// Which notifiers are not delivering: the last attempt failed (no success since), or the SMTP
// password this session needs was never given. Enabled notifiers only.
import type { NotifierView } from '../../shared/contract/api-warn';

export function failingNotifiers(list: readonly NotifierView[]): NotifierView[] {
  return list.filter(
    (n) =>
      n.config.enabled &&
      (n.status.needsSecret ||
        (n.status.lastError !== null && (n.status.lastErrorAt ?? 0) >= (n.status.lastOkAt ?? 0))),
  );
}
