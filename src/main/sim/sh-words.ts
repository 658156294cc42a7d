// A small POSIX shell lexer for the simulator: splits a line into commands at ; && || and a
// command into words (single and double quotes, backslashes, $VAR and $? expansion), the way
// sh would. Enough to read back what shell-quote.ts writes; no globbing, no field splitting.

export class ShSyntaxError extends Error {}

export type ListOp = ';' | '&&' | '||';

export interface ListItem {
  text: string;
  /** The operator after this command (null for the last). */
  op: ListOp | null;
}

/** Index just past the quoted part starting at `i` (a ' or "), or -1 when it never closes. */
function skipQuoted(s: string, i: number): number {
  const q = s[i];
  let j = i + 1;
  while (j < s.length) {
    const c = s[j];
    if (q === '"' && c === '\\') j += 2;
    else if (c === q) return j + 1;
    else j++;
  }
  return -1;
}

const OPENERS = /^(while|until|for|if|case)(?=[\s;]|$)/;
const CLOSERS = /^(done|fi|esac)(?=[\s;)|&]|$)/;

/**
 * Splits text at top-level operators (not inside quotes, $( ), { } groups or while…done,
 * if…fi, case…esac): `ops` are tried longest first, e.g. [';', '&&', '||'] for a list or ['|']
 * for a pipeline.
 */
export function splitTop(text: string, ops: readonly string[]): { parts: string[]; ops: string[] } {
  const parts: string[] = [];
  const found: string[] = [];
  const sorted = [...ops].sort((a, b) => b.length - a.length);
  let depth = 0;
  let start = 0;
  let i = 0;
  let wordStart = true;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === "'" || c === '"') {
      const j = skipQuoted(text, i);
      if (j < 0) throw new ShSyntaxError('Syntax error: Unterminated quoted string');
      i = j;
      wordStart = false;
      continue;
    }
    if (c === '\\') {
      i += 2;
      wordStart = false;
      continue;
    }
    if (wordStart) {
      const rest = text.slice(i, i + 6);
      const open = OPENERS.exec(rest);
      const close = CLOSERS.exec(rest);
      if (open?.[0]) {
        depth++;
        i += open[0].length;
        wordStart = false;
        continue;
      }
      if (close?.[0] && depth > 0) {
        depth--;
        i += close[0].length;
        wordStart = false;
        continue;
      }
    }
    if (c === '$' && text[i + 1] === '(') {
      depth++;
      i += 2;
      wordStart = true;
      continue;
    }
    if (c === '(' || (c === '{' && wordStart && /\s/.test(text[i + 1] ?? ' '))) {
      depth++;
      i++;
      wordStart = true;
      continue;
    }
    if ((c === ')' || (c === '}' && wordStart)) && depth > 0) {
      depth--;
      i++;
      wordStart = false;
      continue;
    }
    const op = depth === 0 ? sorted.find((o) => text.startsWith(o, i)) : undefined;
    // a lone | is not the start of ||, and & of && is not a pipe
    if (op !== undefined && !(op === '|' && (text[i + 1] === '|' || text[i - 1] === '|'))) {
      parts.push(text.slice(start, i).trim());
      found.push(op);
      i += op.length;
      start = i;
      wordStart = true;
      continue;
    }
    wordStart = c === ' ' || c === '\t' || c === '\n' || c === ';' || c === '|' || c === '&';
    i++;
  }
  if (depth !== 0) throw new ShSyntaxError('Syntax error: end of file unexpected');
  parts.push(text.slice(start).trim());
  return { parts, ops: found };
}

/** Splits a line at top-level ; && ||. */
export function splitList(line: string): ListItem[] {
  const { parts, ops } = splitTop(line, [';', '&&', '||']);
  const items: ListItem[] = [];
  parts.forEach((text, i) => {
    const op = (ops[i] ?? null) as ListOp | null;
    if (text !== '') items.push({ text, op });
    else if (op !== null && op !== ';') throw new ShSyntaxError(`Syntax error: "${op}" unexpected`);
  });
  return items;
}

export type Lookup = (name: string) => string | undefined;

function readVar(s: string, i: number, lookup: Lookup): { value: string; next: number } {
  // s[i] is '$'
  const c = s[i + 1];
  if (c === '?' || c === '$' || c === '#' || (c !== undefined && /[0-9]/.test(c))) {
    return { value: lookup(c) ?? '', next: i + 2 };
  }
  if (c === '{') {
    const end = s.indexOf('}', i + 2);
    if (end < 0) throw new ShSyntaxError('Syntax error: Missing }');
    return { value: lookup(s.slice(i + 2, end)) ?? '', next: end + 1 };
  }
  if (c === '(') throw new ShSyntaxError('command substitution is not supported by the simulator');
  const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(i + 1));
  if (!m) return { value: '$', next: i + 1 };
  return { value: lookup(m[0]) ?? '', next: i + 1 + m[0].length };
}

interface Word {
  value: string;
  /** Some of it was quoted or escaped (so it cannot be an operator such as 2>&1). */
  quoted: boolean;
}

function lex(cmd: string, lookup: Lookup): Word[] {
  const words: Word[] = [];
  let cur = '';
  let inWord = false;
  let quoted = false;
  let i = 0;
  while (i < cmd.length) {
    const c = cmd[i] as string;
    if (c === ' ' || c === '\t' || c === '\n') {
      if (inWord) words.push({ value: cur, quoted });
      cur = '';
      inWord = false;
      quoted = false;
      i++;
      continue;
    }
    inWord = true;
    if (c === "'" || c === '"' || c === '\\') quoted = true;
    if (c === "'") {
      const end = cmd.indexOf("'", i + 1);
      if (end < 0) throw new ShSyntaxError('Syntax error: Unterminated quoted string');
      cur += cmd.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      i++;
      for (;;) {
        if (i >= cmd.length) throw new ShSyntaxError('Syntax error: Unterminated quoted string');
        const d = cmd[i] as string;
        if (d === '"') {
          i++;
          break;
        }
        if (d === '\\' && i + 1 < cmd.length && '$`"\\\n'.includes(cmd[i + 1] as string)) {
          if (cmd[i + 1] !== '\n') cur += cmd[i + 1];
          i += 2;
        } else if (d === '$') {
          const v = readVar(cmd, i, lookup);
          cur += v.value;
          i = v.next;
        } else if (d === '`') throw new ShSyntaxError('command substitution is not supported by the simulator');
        else {
          cur += d;
          i++;
        }
      }
    } else if (c === '\\') {
      if (i + 1 < cmd.length && cmd[i + 1] !== '\n') cur += cmd[i + 1];
      i += 2;
    } else if (c === '$') {
      const v = readVar(cmd, i, lookup);
      cur += v.value;
      i = v.next;
    } else if (c === '`') {
      throw new ShSyntaxError('command substitution is not supported by the simulator');
    } else {
      cur += c;
      i++;
    }
  }
  if (inWord) words.push({ value: cur, quoted });
  return words;
}

/** The words of one simple command, after quote removal and parameter expansion. */
export function splitWords(cmd: string, lookup: Lookup = () => undefined): string[] {
  return lex(cmd, lookup).map((w) => w.value);
}

/**
 * The argv of a simple command without its redirections (</dev/null, 2>&1, >/dev/null, only
 * when unquoted): the simulator merges output anyway.
 */
export function commandArgv(cmd: string, lookup: Lookup = () => undefined): string[] {
  return lex(cmd, lookup)
    .filter((w) => w.quoted || !/^(\d?>&\d|\d?[<>]{1,2}\/dev\/null)$/.test(w.value))
    .map((w) => w.value);
}
