// Golden tests of the `virsh list --all --uuid --name` parser on real captured outputs, plus robustness.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseListUuidName, parseUuidLines } from '../../../../src/main/libvirt/parse-list-uuid';

const fixture = (name: string) => readFileSync(join(__dirname, '../../../fixtures/virsh', name), 'utf8');

describe('parseListUuidName', () => {
  it('reads the lab libvirtd', () => {
    expect(parseListUuidName(fixture('qemu_list_uuid_name.txt'))).toEqual({
      items: [
        { uuid: 'c14c71a2-87ab-4693-87a7-33ae85e74fda', name: 'lab-vm01' },
        { uuid: 'f6db8ce0-ef85-4f85-a56a-5dfe7ed77fa6', name: 'lab-vm02' },
        { uuid: 'a585c047-0e25-4c47-ade0-6c74bb652d2d', name: 'lab-vm03' },
      ],
      warnings: [],
    });
  });

  it('reads the test driver: test:///default and a 50-domain node (running, paused and shut off alike)', () => {
    expect(parseListUuidName(fixture('test-default_list_uuid_name.txt')).items).toEqual([
      { uuid: '6695eb01-f6a4-8304-79aa-97f2502e193f', name: 'test' },
    ]);
    const { items, warnings } = parseListUuidName(fixture('test-node50_list_uuid_name.txt'));
    expect(warnings).toEqual([]);
    expect(items).toHaveLength(50);
    // virsh lists running domains first: vm005 (shut off) comes after them
    expect(items.find((i) => i.name === 'vm005')?.uuid).toBe('00000000-0000-4000-8000-000000000005');
    expect(new Set(items.map((i) => i.uuid)).size).toBe(50);
  });

  it('keeps hostile and unicode names byte for byte (captured from a test-driver node)', () => {
    const { items, warnings } = parseListUuidName(fixture('test-hostile_list_uuid_name.txt'));
    expect(warnings).toEqual([]);
    expect(items.map((i) => i.name)).toEqual([
      `a b'c"$(touch x);\`id\``,
      "it's  two  spaces",
      'crashy',
      'sleepy',
      '数据库 主机',
    ]);
    expect(items[4]?.uuid).toBe('00000000-0000-4000-8000-000000000002');
  });

  it('takes the whole rest of the line as the name, and accepts CRLF and upper-case UUIDs', () => {
    const name = `a b'c"$(touch /tmp/x);\`id\``;
    const text = `C14C71A2-87AB-4693-87A7-33AE85E74FDA ${name}\r\n00000000-0000-4000-8000-000000000002  two leading\r\n`;
    expect(parseListUuidName(text).items).toEqual([
      { uuid: 'c14c71a2-87ab-4693-87a7-33ae85e74fda', name },
      { uuid: '00000000-0000-4000-8000-000000000002', name: ' two leading' },
    ]);
  });

  it('turns garbage into warnings with line numbers, never exceptions', () => {
    const text = [
      'error: failed to connect to the hypervisor',
      'c14c71a2-87ab-4693-87a7-33ae85e74fda lab-vm01',
      'c14c71a2-87ab-4693-87a7-33ae85e74fda', // --uuid without --name
      'lab-vm02', // --name without --uuid
      'c14c71a2-87ab-4693-87a7-33ae85e74fdz nope',
    ].join('\n');
    const { items, warnings } = parseListUuidName(text);
    expect(items).toEqual([{ uuid: 'c14c71a2-87ab-4693-87a7-33ae85e74fda', name: 'lab-vm01' }]);
    expect(warnings.map((w) => /line (\d+)/.exec(w)?.[1])).toEqual(['1', '3', '4', '5']);
    expect(parseListUuidName('x\n'.repeat(500)).warnings).toHaveLength(101);
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), (s) => {
        const r = parseListUuidName(s);
        expect(r.items.every((i) => i.uuid.length === 36)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('parseUuidLines', () => {
  it('reads `virsh list --all --autostart --uuid` from the lab (one VM set to autostart)', () => {
    const warnings: string[] = [];
    expect([...parseUuidLines(fixture('qemu_list_autostart_uuid.txt'), warnings)]).toEqual([
      'f6db8ce0-ef85-4f85-a56a-5dfe7ed77fa6',
    ]);
    expect(warnings).toEqual([]);
  });

  it('turns anything else into a warning', () => {
    const warnings: string[] = [];
    expect(parseUuidLines('error: failed to connect\n\n', warnings).size).toBe(0);
    expect(warnings).toEqual(['virsh list --autostart --uuid: not a UUID: "error: failed to connect"']);
  });
});
