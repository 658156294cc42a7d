// The project's lab (test/lab/lab-up.sh) as lab.env describes it, or why it is absent.
// No test-runner imports: benchmarks use this too.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Lab {
  dir: string;
  host: string;
  ports: number[];
  users: string[];
  keyPath: string;
  hostPubKeyPath: string;
  uri: string;
  domains: string[];
}

export const LAB_DIR = process.env.VIRTDECK_LAB_DIR ?? '/tmp/virtdeck-lab';

function parseEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m?.[1]) out[m[1]] = (m[2] ?? '').replace(/^"(.*)"$/, '$1');
  }
  return out;
}

export function readLab(): Lab | { missing: string } {
  const file = join(LAB_DIR, 'lab.env');
  if (!existsSync(file)) return { missing: `${file} not found: run \`npm run lab:up\` (as root on Debian)` };
  const env = parseEnv(readFileSync(file, 'utf8'));
  const need = (k: string) => {
    const v = env[k];
    if (v === undefined) throw new Error(`${file} lacks ${k}`);
    return v;
  };
  return {
    dir: LAB_DIR,
    host: need('LAB_SSH_HOST'),
    ports: need('LAB_SSH_PORTS').split(',').map(Number),
    users: need('LAB_SSH_USERS').split(' '),
    keyPath: need('LAB_SSH_KEY'),
    hostPubKeyPath: need('LAB_SSH_HOST_PUBKEY'),
    uri: need('LAB_LIBVIRT_URI'),
    domains: need('LAB_DOMAINS').split(' ').filter(Boolean),
  };
}
