// The one quoting function, checked against a real /bin/sh: whatever the arguments, the
// program receives them byte for byte and nothing in them is executed.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UnsafeArgumentError, toShellCommand } from '../../../../src/main/ssh/shell-quote';
import { tempDir } from '../../../helpers/temp';

/** What sh hands to a program when it runs our command string: printf echoes argv NUL-separated. */
function roundTrip(args: string[], cwd?: string): string[] {
  const r = spawnSync('/bin/sh', ['-c', toShellCommand(['printf', '%s\\0', ...args])], { cwd, encoding: 'utf8' });
  expect(r.status).toBe(0);
  const parts = r.stdout.split('\0');
  parts.pop();
  return parts;
}

export const HOSTILE = [
  `a b'c"$(touch x1)\`touch x2\`;touch x3`,
  "it's",
  '$HOME ${PATH} $((1+1))',
  'semi;colon && or || pipe | amp & bg',
  'new\nline\ttab',
  '数据库-虚拟机 «ünïcødé» 🚀',
  '-rf',
  '*',
  '~',
  '',
  "'",
  '\\',
  '!!',
];

describe('toShellCommand', () => {
  it('passes hostile strings through sh intact and executes none of them', () => {
    const dir = tempDir('quote');
    expect(roundTrip(HOSTILE, dir)).toEqual(HOSTILE);
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(join(dir, 'x1'))).toBe(false);
  });

  it('round-trips arbitrary unicode argument lists (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ unit: 'binary' }).map((s) => s.replace(/\0/g, '')),
          { minLength: 1, maxLength: 6 },
        ),
        (args) => {
          expect(roundTrip(args)).toEqual(args);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('leaves plain words unquoted and refuses NUL bytes and empty commands', () => {
    expect(toShellCommand(['virsh', '-c', 'qemu:///system', 'list', '--all'])).toBe(
      'virsh -c qemu:///system list --all',
    );
    expect(() => toShellCommand(['echo', 'a\0b'])).toThrow(UnsafeArgumentError);
    expect(() => toShellCommand([])).toThrow(UnsafeArgumentError);
  });
});
