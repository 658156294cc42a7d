// Turns what an admin types ("hv01", "ssh://ops@10.0.0.5:2222", an ~/.ssh/config alias) into
// a concrete SSH target, the way ssh would: HostName, User, Port, IdentityFile and ProxyJump
// from the user's ssh config (parsed by the `ssh-config` package), explicit values winning.
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import SSHConfig from 'ssh-config';

export interface SshHop {
  /** What the user named (alias or address), for messages. */
  label: string;
  address: string;
  port: number;
  user: string;
  identityFiles: string[];
}

export interface ResolvedTarget extends SshHop {
  /** Bastions to go through, outermost first (ProxyJump). */
  jumps: SshHop[];
}

export interface TargetSpec {
  host: string;
  port?: number | undefined;
  user?: string | undefined;
  identityFile?: string | undefined;
  /** ProxyJump syntax: `[user@]host[:port][,…]`; overrides the config's ProxyJump. */
  jump?: string | undefined;
}

export interface ResolveEnv {
  sshConfigText: string | null;
  home?: string;
  localUser?: string;
}

/** `[ssh://][user@]host[:port]`, with `[v6addr]` accepted. */
export function parseHostSpec(spec: string): { user?: string; host: string; port?: number } {
  let s = spec.trim().replace(/^ssh:\/\//, '');
  let user: string | undefined;
  const at = s.lastIndexOf('@');
  if (at > 0) {
    user = s.slice(0, at);
    s = s.slice(at + 1);
  }
  let host = s;
  let port: number | undefined;
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  const v4 = /^([^:]+):(\d+)$/.exec(s);
  if (v6) {
    host = v6[1] ?? '';
    if (v6[2]) port = Number(v6[2]);
  } else if (v4) {
    host = v4[1] ?? '';
    port = Number(v4[2]);
  }
  if (!host) throw new Error(`'${spec}' names no host`);
  if (port !== undefined && !(port >= 1 && port <= 65535)) throw new Error(`'${spec}': port must be 1..65535`);
  return { host, ...(user ? { user } : {}), ...(port !== undefined ? { port } : {}) };
}

function expandTokens(value: string, ctx: { home: string; localUser: string; host: string; user: string }): string {
  return value
    .replace(/^~(?=\/|$)/, ctx.home)
    .replace(/%(.)/g, (m, c: string) =>
      c === 'd'
        ? ctx.home
        : c === 'u'
          ? ctx.localUser
          : c === 'h'
            ? ctx.host
            : c === 'r'
              ? ctx.user
              : c === '%'
                ? '%'
                : m,
    );
}

const DEFAULT_IDENTITIES = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

export function resolveTarget(spec: TargetSpec, env: ResolveEnv): ResolvedTarget {
  const home = env.home ?? homedir();
  const localUser = env.localUser ?? userInfo().username;
  const config = env.sshConfigText ? SSHConfig.parse(env.sshConfigText) : null;

  const resolveHop = (
    hostSpec: string,
    over: { user?: string | undefined; port?: number | undefined; identityFile?: string | undefined },
  ) => {
    const parsed = parseHostSpec(hostSpec);
    const computed = config?.compute(parsed.host, { ignoreCase: true, matchExec: false }) ?? {};
    const str = (k: string) => {
      const v = computed[k];
      return typeof v === 'string' ? v : Array.isArray(v) ? v[0] : undefined;
    };
    const address = str('hostname')
      ? expandTokens(str('hostname') ?? '', { home, localUser, host: parsed.host, user: '' })
      : parsed.host;
    const user = over.user ?? parsed.user ?? str('user') ?? localUser;
    const portText = over.port ?? parsed.port ?? str('port');
    const port = portText === undefined ? 22 : Number(portText);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${hostSpec}: invalid Port '${portText}'`);
    const configured = computed.identityfile;
    const files = over.identityFile
      ? [over.identityFile]
      : (Array.isArray(configured) ? configured : configured ? [configured] : []).map((f) =>
          expandTokens(f, { home, localUser, host: address, user }),
        );
    const hop: SshHop = {
      label: parsed.host,
      address,
      port,
      user,
      identityFiles: files.length ? files : DEFAULT_IDENTITIES.map((f) => join(home, '.ssh', f)),
    };
    return { hop, proxyJump: str('proxyjump') };
  };

  const target = resolveHop(spec.host, { user: spec.user, port: spec.port, identityFile: spec.identityFile });
  const jumps: SshHop[] = [];
  const addJumps = (list: string | undefined, depth: number) => {
    if (!list || list.toLowerCase() === 'none') return;
    if (depth > 8) throw new Error('ProxyJump chain is longer than 8 hops (a loop in ~/.ssh/config?)');
    for (const entry of list
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean)) {
      const j = resolveHop(entry, {});
      addJumps(j.proxyJump, depth + 1); // a bastion's own ProxyJump comes before it
      jumps.push(j.hop);
    }
  };
  addJumps(spec.jump ?? target.proxyJump, 0);
  return { ...target.hop, jumps };
}
