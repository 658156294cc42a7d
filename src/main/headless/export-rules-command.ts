// `virtdeck export-rules`: the warn rules of a data directory as a Prometheus alerting-rules file
// (the same file as Rules → Export for Prometheus).
import { writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveDataDir } from '../config/data-dir';
import { HostConfigStore } from '../config/host-config-store';
import { exportPrometheusRules } from '../prometheus/rules-export';
import { HistoryStore } from '../store/history-store';
import { WarnConfigRepo } from '../store/warn-config-repo';
import { RuleBook } from '../warn/rule-book';

export const EXPORT_RULES_USAGE = `Usage: virtdeck export-rules [--out FILE] [--data-dir DIR]
  The warn rules as a Prometheus alerting-rules file over the series of \`serve --metrics\`
  (check it with \`promtool check rules FILE\`). Disabled rules are left out (listed on stderr).
  --out FILE           write there instead of standard output
  --data-dir DIR       VirtDeck's data directory
`;

export function exportRulesCommand(
  args: string[],
  stderr: (line: string) => void = (l) => process.stderr.write(l),
): number {
  const { values } = parseArgs({
    args,
    options: { out: { type: 'string' }, 'data-dir': { type: 'string' } },
    strict: true,
  });
  const dataDir = resolveDataDir({
    override: values['data-dir'],
    platform: process.platform,
    env: process.env,
    home: homedir(),
  });
  const hosts = new HostConfigStore(join(dataDir, 'hosts.json')).list();
  const store = new HistoryStore({ path: join(dataDir, 'history.db') });
  try {
    const book = new RuleBook(new WarnConfigRepo(store.db), (line) => stderr(`${line}\n`));
    const { yaml, skipped } = exportPrometheusRules(book.list(), {
      hostName: (id) => hosts.find((h) => h.id === id)?.name ?? null,
    });
    for (const s of skipped) stderr(`left out: ${s}\n`);
    if (values.out) writeFileSync(values.out, yaml);
    else process.stdout.write(yaml);
    return 0;
  } finally {
    store.close();
  }
}
