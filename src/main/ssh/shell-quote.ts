// The ONE place where an argument array becomes a shell command string (ssh2 takes a string).
// POSIX single quoting: every argument is wrapped in '…' and each ' becomes '\'' — nothing inside
// single quotes is special to sh, so $(…), backticks, ;, spaces and unicode reach the program
// byte for byte. Written here rather than taken from `shell-quote`, whose backslash style is
// harder to prove correct and had escaping bugs; this is a three-line, property-tested rule.

export class UnsafeArgumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeArgumentError';
  }
}

export function quoteArg(arg: string): string {
  if (arg.includes('\0')) throw new UnsafeArgumentError('argument contains a NUL byte, which no shell can pass');
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function toShellCommand(argv: readonly string[]): string {
  if (argv.length === 0) throw new UnsafeArgumentError('empty command');
  return argv.map(quoteArg).join(' ');
}
