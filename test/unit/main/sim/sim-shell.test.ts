// The simulator's sh and virsh: the collector's own batch script read back section by section,
// lifecycle commands changing state with libvirt's words, libvirtd down, unknown commands, and
// hostile VM names surviving toShellCommand → the simulator's POSIX word splitter.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildBatch, splitBatch } from '../../../../src/main/collector/batch';
import { parseDomStats } from '../../../../src/main/libvirt/parse-domstats';
import { toShellCommand } from '../../../../src/main/ssh/shell-quote';
import { createHost, createVm } from '../../../../src/main/sim/model';
import type { SimHost } from '../../../../src/main/sim/model';
import { ShSession, runList } from '../../../../src/main/sim/sh-sim';
import { splitWords } from '../../../../src/main/sim/sh-words';
import { LIBVIRTD_DOWN } from '../../../../src/main/sim/virsh-sim';
import { advanceHost } from '../../../../src/main/sim/workload';

const T0 = Date.UTC(2026, 10, 22, 9, 0, 0);
/** The names shell-quote.test.ts throws at a real sh. */
const HOSTILE = [
  `a b'c"$(touch x1)\`touch x2\`;touch x3`,
  "it's",
  '$HOME ${PATH} $((1+1))',
  'semi;colon && or || pipe | amp & bg',
  'new\nline\ttab',
  '数据库-虚拟机 «ünïcødé» 🚀',
  '-rf',
  '*',
  '2>&1',
  '</dev/null',
  '',
  "'",
  '\\',
  '!!',
];
const URI = 'qemu:///system';
const fixture = (name: string) => readFileSync(join(__dirname, '../../../fixtures/virsh', name), 'utf8');

function sim(vms = 4): { host: SimHost; run: (argv: string[]) => { out: string; code: number }; now: { t: number } } {
  const now = { t: T0 };
  const host = createHost(3, 0, vms, T0);
  const run = (argv: string[]) => {
    advanceHost(host, now.t);
    const r = runList({ host, now: () => now.t, vars: new Map(), merge: true }, toShellCommand(argv));
    return { out: r.stdout, code: r.code };
  };
  return { host, run, now };
}

/** Runs a script through a persistent ShSession exactly as ShellRunner writes it. */
function runScript(host: SimHost, now: number, script: string): { output: string; code: number } {
  let out = '';
  const sh = new ShSession(
    { host, now: () => now, vars: new Map() },
    (t) => (out += t),
    () => advanceHost(host, now),
  );
  const marker = '\u001eVDtest:';
  sh.feed(`{\n${script}\n} </dev/null 2>&1; printf '\\n${marker}%d\\n' "$?"\n`);
  const at = out.indexOf(marker);
  return { output: out.slice(0, at - 1), code: Number(out.slice(at + marker.length).trim()) };
}

describe('the collector’s batch script on a simulated host', () => {
  it('answers every section with status 0', () => {
    const { host } = sim();
    const { script, nonce } = buildBatch({ uri: URI, list: true, nodeinfo: true, pools: true });
    const r = runScript(host, T0 + 5000, script);
    const sections = splitBatch(r.output, nonce);
    expect([...sections.keys()]).toEqual([
      'domstats',
      'list',
      'autostart',
      'stat',
      'meminfo',
      'loadavg',
      'netdev',
      'uptime',
      'nproc',
      'nodeinfo',
      'version',
      'pools',
    ]);
    for (const [name, s] of sections) expect([name, s.code]).toEqual([name, 0]);
    const autostart = host.vms.filter((v) => v.autostart).map((v) => v.uuid);
    expect(sections.get('autostart')?.text.trim().split('\n').filter(Boolean)).toEqual(autostart);
    expect(parseDomStats(sections.get('domstats')?.text ?? '').domains).toHaveLength(4);
    expect(sections.get('pools')?.text).toMatch(/^@@VDPOOL [0-9a-f-]{36}\nName: {11}default\n/);
    expect(r.code).toBe(0);
  });

  it('with libvirtd down: virsh sections fail with libvirt’s own error, /proc still answers', () => {
    const { host } = sim();
    host.libvirtdDown = true;
    const { script, nonce } = buildBatch({ uri: URI, list: false, nodeinfo: false, pools: true });
    const sections = splitBatch(runScript(host, T0, script).output, nonce);
    expect(sections.get('domstats')).toMatchObject({ text: LIBVIRTD_DOWN, code: 1 });
    expect(sections.get('pools')?.code).toBe(1);
    expect(sections.get('stat')?.code).toBe(0);
    const real = fixture('qemu_libvirtd_down.txt').split('\n')[1];
    expect(LIBVIRTD_DOWN.split('\n')[0]).toBe(real);
  });

  it('unknown commands get sh’s "not found" and 127; unknown virsh commands virsh’s error', () => {
    const { run } = sim();
    expect(run(['rm', '-rf', '/'])).toEqual({ out: 'sh: 1: rm: not found\n', code: 127 });
    expect(run(['virsh', '-c', URI, 'nosuchcmd'])).toEqual({ out: "error: unknown command: 'nosuchcmd'\n", code: 1 });
    expect(run(['cat', '/etc/shadow'])).toEqual({ out: 'cat: /etc/shadow: No such file or directory\n', code: 1 });
  });
});

describe('lifecycle commands', () => {
  it('change state with libvirt’s messages (as captured from virsh 9.0)', () => {
    const { host, run, now } = sim();
    const name = host.vms[0]?.name ?? '';
    const real = fixture('test-default_lifecycle.txt');
    const v = (...args: string[]) => run(['virsh', '-c', URI, ...args]);
    expect(v('domstate', String(host.vms[1]?.domId))).toEqual({ out: 'running\n\n', code: 0 }); // by id
    expect(v('domstate', host.vms[1]?.uuid ?? '').out).toBe('running\n\n'); // by UUID
    expect(v('suspend', name)).toEqual({ out: `Domain '${name}' suspended\n\n`, code: 0 });
    expect(real).toContain("Domain 'test' suspended\n\npaused (user)\n\n");
    expect(v('domstate', name, '--reason').out).toBe('paused (user)\n\n');
    expect(v('suspend', name).out).toBe(
      `error: Failed to suspend domain '${name}'\nerror: internal error: domain '${name}' not running\n\n`,
    );
    expect(v('resume', name).out).toBe(`Domain '${name}' resumed\n\n`);
    expect(v('domstate', name, '--reason').out).toBe('running (unpaused)\n\n');
    expect(v('start', name)).toEqual({ out: 'error: Domain is already active\n\n', code: 1 });
    expect(v('shutdown', name).out).toBe(`Domain '${name}' is being shutdown\n\n`);
    expect(v('domstate', name).out).toBe('in shutdown\n\n');
    now.t += 10_000;
    expect(v('domstate', name, '--reason').out).toBe('shut off (shutdown)\n\n');
    expect(v('start', name).out).toBe(`Domain '${name}' started\n\n`);
    expect(v('domstate', name, '--reason').out).toBe('running (booted)\n\n');
    expect(v('destroy', name).out).toBe(`Domain '${name}' destroyed\n\n`);
    expect(v('domstate', name, '--reason').out).toBe('shut off (destroyed)\n\n');
    expect(v('dominfo', name).out).toMatch(
      /^Id: {13}-\nName: {11}.+\nUUID: {11}[0-9a-f-]{36}\n[\s\S]*State: {10}shut off\n/,
    );
    expect(v('autostart', name).out).toBe(`Domain '${name}' marked as autostarted\n\n`);
    expect(v('dominfo', name).out).toContain('Autostart:      enable\n');
    expect(v('autostart', '--disable', name).out).toBe(`Domain '${name}' unmarked as autostarted\n\n`);
    expect(v('reboot', name).code).toBe(1);
    expect(v('undefine', name).out).toBe(`Domain '${name}' has been undefined\n\n`);
    expect(v('domstate', name)).toEqual({ out: `error: failed to get domain '${name}'\n\n`, code: 1 });
    expect(host.vms.map((x) => x.name)).not.toContain(name);
  });

  it('a restarted VM’s counters start again from zero, as a new QEMU process’s do', () => {
    const { host, run, now } = sim(1);
    const name = host.vms[0]?.name ?? '';
    run(['virsh', '-c', URI, 'destroy', name]);
    run(['virsh', '-c', URI, 'start', name]);
    now.t += 2000;
    const d = parseDomStats(run(['virsh', '-c', URI, 'domstats', '--raw', name]).out).domains[0];
    expect(d?.cpuTimeNs).toBeGreaterThan(0);
    expect(d?.cpuTimeNs).toBeLessThan(2 * 8 * 1e9 + 1);
  });
});

describe('hostile VM names', () => {
  it('round-trip through toShellCommand and the simulator’s word splitter', () => {
    for (const name of HOSTILE)
      expect(splitWords(toShellCommand(['virsh', 'start', name]))).toEqual(['virsh', 'start', name]);
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ unit: 'binary' }).filter((s) => !s.includes('\0')),
          { minLength: 1 },
        ),
        (args) => {
          expect(splitWords(toShellCommand(args))).toEqual(args);
        },
      ),
    );
  });

  it('reach the simulated virsh intact and come back in domstats', () => {
    const { host, run } = sim(0);
    const names = HOSTILE.filter((n) => n !== '' && !n.includes('\n'));
    for (const n of names) host.vms.push(createVm(3, host, n, T0));
    for (const n of names) {
      expect(run(['virsh', '-c', URI, 'suspend', n])).toEqual({ out: `Domain '${n}' suspended\n\n`, code: 0 });
      expect(run(['virsh', '-c', URI, 'domstate', n]).out).toBe('paused\n\n');
    }
    const parsed = parseDomStats(run(['virsh', '-c', URI, 'domstats', '--raw', '--nowait']).out);
    expect(parsed.domains.map((d) => d.name)).toEqual(names);
    expect(parsed.domains.every((d) => d.state === 'paused')).toBe(true);
  });
});
