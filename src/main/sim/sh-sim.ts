// The remote `sh` of a simulated host. It does not run a shell: it reads the scripts the
// collector (and the tasks) send — lists, { } groups, NAME=$(…), `… | while read` loops — and
// interprets the known commands (printf, cat /proc/…, nproc, virsh, [ ]); anything else gets
// dash's "not found" and status 127.
import { StringDecoder } from 'node:string_decoder';
import type { SimHost } from './model';
import * as proc from './render-proc';
import { ShSyntaxError, commandArgv, splitList, splitTop } from './sh-words';
import type { CmdResult } from './virsh-sim';
import { runVirsh } from './virsh-sim';

export interface ShContext {
  host: SimHost;
  /** The host's clock (epoch ms), counters already advanced to it. */
  now: () => number;
  vars: Map<string, string>;
  /** Fold stderr into stdout (the collector's scripts run with 2>&1). */
  merge?: boolean | undefined;
}

/** printf's backslash escapes (\n, \t, \\, \0NNN and \NNN octal). */
function unescape(s: string): string {
  return s.replace(/\\(0?[0-7]{1,3}|.)/g, (_m, e: string) => {
    if (/^[0-7]+$/.test(e)) return String.fromCharCode(parseInt(e, 8));
    return e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e === '\\' ? '\\' : `\\${e}`;
  });
}

/** POSIX printf with %s, %d and %%; the format is reused while arguments remain. */
export function printf(format: string, args: readonly string[]): string {
  const fmt = unescape(format);
  let out = '';
  let k = 0;
  do {
    out += fmt.replace(/%([sd%])/g, (_m, c: string) => {
      if (c === '%') return '%';
      const a = args[k++] ?? '';
      return c === 'd' ? String(Number.parseInt(a, 10) || 0) : a;
    });
  } while (k < args.length && /%[sd]/.test(fmt));
  return out;
}

const PROC: Record<string, (h: SimHost, now: number) => string> = {
  '/proc/stat': (h) => proc.procStat(h),
  '/proc/meminfo': (h, now) => proc.meminfo(h, now),
  '/proc/loadavg': (h, now) => proc.loadavg(h, now),
  '/proc/net/dev': (h) => proc.netDev(h),
  '/proc/uptime': (h, now) => proc.uptime(h, now),
};

const done = (stdout: string, code = 0, stderr = ''): CmdResult => ({ stdout, stderr, code });

function simple(ctx: ShContext, text: string): CmdResult {
  const assign = /^([A-Za-z_][A-Za-z0-9_]*)=\$\((.*)\)$/s.exec(text);
  if (assign?.[1] && assign[2] !== undefined) {
    const r = runList(ctx, assign[2]);
    ctx.vars.set(assign[1], r.stdout.replace(/\n+$/, ''));
    return done('', r.code, r.stderr);
  }
  if (text.startsWith('{') && text.endsWith('}')) return runList(ctx, text.slice(1, -1));
  const argv = commandArgv(text, (name) => ctx.vars.get(name));
  // leading NAME=value words only set the environment of the command (LC_ALL=C virsh …)
  while (argv.length > 1 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[0] ?? '')) argv.shift();
  const [cmd, ...args] = argv;
  switch (cmd) {
    case undefined:
      return done('');
    case 'printf':
      return done(printf(args[0] ?? '', args.slice(1)));
    case 'echo':
      return done(`${args.join(' ')}\n`);
    case 'true':
    case ':':
      return done('');
    case 'false':
      return done('', 1);
    case '[':
    case 'test': {
      const a = cmd === '[' ? args.slice(0, -1) : args;
      if (a[0] === '-z') return done('', (a[1] ?? '') === '' ? 0 : 1);
      if (a[0] === '-n') return done('', (a[1] ?? '') !== '' ? 0 : 1);
      return done('', 2, `sh: 1: ${cmd}: unsupported test in the simulator\n`);
    }
    case 'nproc':
      return done(proc.nproc(ctx.host));
    case 'cat': {
      let stdout = '';
      let stderr = '';
      let code = 0;
      for (const f of args) {
        const gen = PROC[f];
        if (gen) stdout += gen(ctx.host, ctx.now());
        else {
          stderr += `cat: ${f}: No such file or directory\n`;
          code = 1;
        }
      }
      return done(stdout, code, stderr);
    }
    case 'virsh':
      return runVirsh(ctx.host, args, ctx.now());
    default:
      return done('', 127, `sh: 1: ${cmd}: not found\n`);
  }
}

/** `PRODUCER | while IFS= read -r VAR; do BODY; done`, the only loop shape the collector sends. */
function pipeline(ctx: ShContext, text: string): CmdResult {
  const { parts } = splitTop(text, ['|']);
  if (parts.length === 1) return simple(ctx, text);
  const loop = /^while\s+(?:IFS=\s+)?read\s+-r\s+([A-Za-z_][A-Za-z0-9_]*)\s*;\s*do\s+(.*?)\s*;?\s*done$/s.exec(
    parts[1] ?? '',
  );
  if (parts.length !== 2 || !loop?.[1] || loop[2] === undefined) {
    return done('', 2, 'sh: 1: pipelines other than `… | while read` are not supported by the simulator\n');
  }
  const producer = simple(ctx, parts[0] ?? '');
  let stdout = '';
  let stderr = producer.stderr;
  let code = 0;
  const lines = producer.stdout.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (const line of lines) {
    ctx.vars.set(loop[1], line);
    const r = runList(ctx, loop[2]);
    stdout += r.stdout;
    stderr += r.stderr;
    code = r.code;
  }
  return done(stdout, code, stderr);
}

/** A list (cmd ; cmd && cmd || cmd) with sh's short-circuit rules; output is kept in order. */
export function runList(ctx: ShContext, text: string): CmdResult {
  let items;
  try {
    items = splitList(text);
  } catch (e) {
    if (e instanceof ShSyntaxError) return done('', 2, `sh: 1: ${e.message}\n`);
    throw e;
  }
  let stdout = '';
  let stderr = '';
  let code = 0;
  let prev: string | null = null;
  for (const item of items) {
    // and-or lists are left-associative: after `&&` run only on success, after `||` only on failure
    const run = prev === '&&' ? code === 0 : prev === '||' ? code !== 0 : true;
    prev = item.op;
    if (!run) continue;
    let r: CmdResult;
    try {
      r = pipeline(ctx, item.text);
    } catch (e) {
      if (!(e instanceof ShSyntaxError)) throw e;
      r = done('', 2, `sh: 1: ${e.message}\n`);
    }
    ctx.vars.set('?', String(r.code));
    code = r.code;
    if (ctx.merge) stdout += r.stdout + r.stderr;
    else {
      stdout += r.stdout;
      stderr += r.stderr;
    }
  }
  return done(stdout, code, stderr);
}

/**
 * A persistent `sh` reading scripts from its stdin, line by line, as the collector's ShellRunner
 * writes them: `{` … `} </dev/null 2>&1; printf '…%d\n' "$?"`. Output goes to `write`.
 */
export class ShSession {
  private pending = '';
  private group: string[] | null = null;
  private readonly decoder = new StringDecoder('utf8');

  constructor(
    private readonly ctx: ShContext,
    private readonly write: (text: string) => void,
    /** Called before each top-level line runs (the host advances its counters to now). */
    private readonly beforeRun: () => void = () => undefined,
  ) {}

  feed(chunk: Buffer | string): void {
    this.pending += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    let nl: number;
    while ((nl = this.pending.indexOf('\n')) >= 0) {
      const line = this.pending.slice(0, nl);
      this.pending = this.pending.slice(nl + 1);
      this.line(line);
    }
  }

  private line(line: string): void {
    const t = line.trim();
    if (this.group === null && t === '{') {
      this.group = [];
      return;
    }
    if (this.group !== null) {
      const close = /^}\s*((?:\d?[<>]{1,2}\s*\/dev\/null|\d?>&\d)\s*)*(.*)$/.exec(t);
      if (!close) {
        this.group.push(line);
        return;
      }
      const body = this.group;
      this.group = null;
      this.beforeRun();
      const merge = /2>&1/.test(t);
      let code = 0;
      for (const l of body) code = this.run(l, merge);
      this.ctx.vars.set('?', String(code));
      const rest = (close[2] ?? '').replace(/^;\s*/, '');
      if (rest !== '') this.run(rest, false);
      return;
    }
    if (t === '' || t.startsWith('#')) return;
    this.beforeRun();
    this.run(line, false);
  }

  private run(line: string, merge: boolean): number {
    if (line.trim() === '') return Number(this.ctx.vars.get('?') ?? 0);
    const saved = this.ctx.merge;
    this.ctx.merge = merge || saved === true;
    const r = runList(this.ctx, line);
    this.ctx.merge = saved;
    this.write(r.stdout + r.stderr);
    return r.code;
  }
}
