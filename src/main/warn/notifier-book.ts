// Notifier settings (stored without secrets) and this session's SMTP passwords. On first start
// a log notifier and a desktop notifier are set up, so alerts are heard with no configuration.
import type { Database as Db } from 'better-sqlite3';
import { notifierSchema } from '../../shared/contract/warn-schemas';
import type { NotifierConfig } from '../../shared/model/warn';
import type { WarnConfigRepo } from '../store/warn-config-repo';

const SEEDED_KEY = 'warn.notifiers_seeded';

export const SEED_NOTIFIERS: readonly NotifierConfig[] = [
  {
    id: 'log',
    kind: 'log',
    name: 'Alert log',
    enabled: true,
    severities: ['info', 'warning', 'critical'],
    retries: 0,
    timeoutMs: 2000,
  },
  {
    id: 'desktop',
    kind: 'desktop',
    name: 'Desktop notifications',
    enabled: true,
    severities: ['warning', 'critical'],
    retries: 0,
    timeoutMs: 2000,
  },
];

export class NotifierBook {
  private notifiers: NotifierConfig[] = [];
  private readonly secrets = new Map<string, string>();

  constructor(
    private readonly repo: WarnConfigRepo,
    db: Db,
    private readonly log: (line: string) => void,
  ) {
    const seeded = db.prepare('SELECT value FROM settings WHERE key = ?').get(SEEDED_KEY);
    if (!seeded) {
      db.transaction(() => {
        for (const n of SEED_NOTIFIERS) repo.saveNotifier(n, Date.now());
        db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run(SEEDED_KEY, '1');
      })();
    }
    this.reload();
  }

  private reload(): void {
    this.notifiers = [];
    for (const body of this.repo.notifiers()) {
      const parsed = notifierSchema.safeParse(body);
      if (parsed.success) this.notifiers.push(parsed.data as NotifierConfig);
      else this.log(`warn: a stored notifier is not valid any more and is ignored: ${parsed.error.message}`);
    }
  }

  list(): readonly NotifierConfig[] {
    return this.notifiers;
  }

  get(id: string): NotifierConfig | undefined {
    return this.notifiers.find((n) => n.id === id);
  }

  save(n: NotifierConfig, at: number): NotifierConfig {
    this.repo.saveNotifier(n, at);
    this.reload();
    return this.get(n.id) ?? n;
  }

  remove(id: string): boolean {
    this.secrets.delete(id);
    const removed = this.repo.removeNotifier(id);
    this.reload();
    return removed;
  }

  setSecret(id: string, password: string): void {
    this.secrets.set(id, password);
  }

  secret(id: string): string | undefined {
    return this.secrets.get(id);
  }

  needsSecret(n: NotifierConfig): boolean {
    return n.kind === 'email' && n.user !== undefined && !this.secrets.has(n.id);
  }
}
