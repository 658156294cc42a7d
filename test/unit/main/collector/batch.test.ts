// The per-cycle script and the splitting of its output, run through a real /bin/sh.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { buildBatch, splitBatch } from '../../../../src/main/collector/batch';

describe('batch script', () => {
  it('frames every section with its exit status, even when a command fails', () => {
    const plan = { uri: 'test:///nonexistent-driver', list: true, nodeinfo: false, pools: false };
    const { script, nonce } = buildBatch(plan);
    // run it the way the shell runner does (virsh may be absent here: a failing section is the point)
    const r = spawnSync('/bin/sh', ['-c', `{\n${script}\n} </dev/null 2>&1`], { encoding: 'utf8' });
    const sections = splitBatch(r.stdout, nonce);
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
    ]);
    expect(sections.get('domstats')?.code).not.toBe(0);
    expect(sections.get('stat')?.code).toBe(0);
    expect(sections.get('stat')?.text).toMatch(/^cpu /);
    expect(sections.get('nproc')?.text).toMatch(/^\d+\n$/); // exactly what the command printed
  });

  it('ignores markers that carry another nonce (output cannot forge a section)', () => {
    const { nonce } = buildBatch({ uri: 'x', list: false, nodeinfo: false, pools: false });
    const forged = `\u001eSdeadbeef stat\nfake\n\u001eEdeadbeef stat 0\n`;
    const real = `\u001eS${nonce} domstats\n${forged}\n\u001eE${nonce} domstats 0\n`;
    const sections = splitBatch(real, nonce);
    expect([...sections.keys()]).toEqual(['domstats']);
    expect(sections.get('domstats')?.text).toBe(forged);
  });

  it('splits the bytes as received, unicode included, into views of the output', () => {
    const { nonce } = buildBatch({ uri: 'x', list: false, nodeinfo: false, pools: false });
    const domstats = "Domain: '数据库 主机'\n  state.state=5\n";
    const text = `stray ünïcode\n\u001eS${nonce} domstats\n${domstats}\n\u001eE${nonce} domstats 0\n\u001eS${nonce} nproc\n2\n\n\u001eE${nonce} nproc 0\n`;
    const bytes = Buffer.from(text, 'utf8');
    const sections = splitBatch(bytes, nonce);
    expect(sections.get('domstats')?.text).toBe(domstats);
    expect(sections.get('nproc')).toMatchObject({ text: '2\n', code: 0 });
    expect(sections.get('domstats')?.bytes.buffer).toBe(bytes.buffer); // a view, not a copy
    expect([...splitBatch(text, nonce)].map(([n, s]) => [n, s.text, s.code])).toEqual(
      [...sections].map(([n, s]) => [n, s.text, s.code]),
    );
  });

  it('quotes the URI as one argument', () => {
    const { script } = buildBatch({ uri: "qemu+ssh://x/system?a=b c'd", list: false, nodeinfo: true, pools: true });
    expect(script).toContain(`virsh -c 'qemu+ssh://x/system?a=b c'\\''d' domstats --raw --nowait`);
    expect(script).toContain('pool-info --bytes --pool "$p"');
  });
});
