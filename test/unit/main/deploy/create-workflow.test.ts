// The create workflow on the real engine and a fake host: every value is an argv element of its
// own (a hostile name never shares a string with a command), the step order per source, and the
// undos in reverse when define fails.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { CREATE_KIND, createWorkflow } from '../../../../src/main/deploy/create-workflow';
import type { CreatePlan } from '../../../../src/main/deploy/create-workflow';
import { migrate } from '../../../../src/main/store/database';
import { TaskEngine } from '../../../../src/main/tasks/task-engine';
import { TaskRepo } from '../../../../src/main/tasks/task-repo';
import type { CommandResult } from '../../../../src/main/tasks/workflow';
import { vmSpecSchema } from '../../../../src/shared/contract/deploy-schemas';
import type { VmTemplateInput } from '../../../../src/shared/contract/deploy-schemas';

const UUID = '6f1e2b7c-0a4d-4c8e-9f00-1234567890ab';
const NAME = `a b'c"$(touch x);\`y\` 数据库`;
const POOL = "images 'p'";

const PROBE = `@@VD nodeinfo
CPU(s): 4
Memory size: 8388608 KiB
@@VD meminfo
MemAvailable: 4194304 kB
@@VD domains
other
@@VD poolinfo
@@VDPOOL ${POOL}
Name: ${POOL}
State: running
Capacity: 107374182400
Allocation: 0
Available: 107374182400
@@VD vol ${POOL}
<volume><name>base.qcow2</name><capacity unit='bytes'>1048576</capacity><target><path>/p/base.qcow2</path><format type='qcow2'/></target></volume>
`;

function plan(t: Partial<VmTemplateInput> = {}): CreatePlan {
  const spec = vmSpecSchema.parse({
    name: NAME,
    placement: { mode: 'host', hostId: 'h1' },
    template: {
      source: { kind: 'overlay', base: { pool: POOL, volume: 'base.qcow2' } },
      pool: POOL,
      vcpus: 1,
      memoryMiB: 32,
      diskMiB: 64,
      virtType: 'qemu',
      ...t,
    },
  });
  return {
    spec,
    hostId: 'h1',
    uuid: UUID,
    createdAt: 1,
    disk: { pool: POOL, volume: 'a_b_c-6f1e2b7c.qcow2', format: 'qcow2' },
    base: { pool: POOL, volume: 'base.qcow2', path: '/p/base.qcow2', format: 'qcow2', capacityBytes: 1048576 },
    seed: spec.template.cloudInit ? { pool: POOL, volume: 'a_b_c-6f1e2b7c-seed.iso' } : null,
    group: null,
  };
}

async function run(p: CreatePlan, answer: (argv: readonly string[]) => CommandResult | undefined = () => undefined) {
  const db = new Database(':memory:');
  migrate(db, ':memory:');
  const calls: (readonly string[])[] = [];
  let now = 0;
  const engine = new TaskEngine({
    repo: new TaskRepo(db),
    exec: {
      run: (_h, argv) => {
        calls.push(argv);
        const given = answer(argv);
        if (given) return Promise.resolve(given);
        if (argv[2]?.startsWith('uri=$1')) return Promise.resolve({ code: 0, output: PROBE });
        if (argv.includes('vol-key') || argv.includes('domname'))
          return Promise.resolve({ code: 1, output: 'error: not found' });
        if (argv[0] === 'stat') return Promise.resolve({ code: 0, output: '376832\n' });
        if (argv[0] === 'sh' && argv[2]?.startsWith('for t in'))
          return Promise.resolve({ code: 0, output: 'xorriso\n' });
        return Promise.resolve({ code: 0, output: '' });
      },
    },
    workflows: createWorkflow({ uriOf: () => 'qemu:///system', vmState: () => Promise.resolve('running'), pollMs: 10 }),
    now: () => now,
    sleep: async (ms) => void (now += ms),
  });
  const t = engine.submit({ kind: CREATE_KIND, hostId: 'h1', target: UUID, targetName: NAME, params: { plan: p } });
  await engine.idle();
  return { task: engine.get(t.id), calls };
}

describe('the create workflow', () => {
  it('runs an overlay create with cloud-init, every value its own argv element', async () => {
    const { task, calls } = await run(
      plan({ cloudInit: { user: 'ops', sshKeys: [], userData: '#!/bin/sh\necho secret-thing\n' }, autostart: true }),
    );
    expect(task.state).toBe('succeeded');
    expect(task.steps.map((s) => s.name)).toEqual([
      'check the host',
      'create the disk',
      'build the cloud-init seed ISO',
      'upload the seed ISO',
      'define the domain',
      'set autostart',
      'start',
      'wait until running',
    ]);
    const v = (...a: string[]) => ['virsh', '-c', 'qemu:///system', ...a];
    expect(calls).toContainEqual(
      v(
        'vol-create-as',
        '--pool',
        POOL,
        '--name',
        'a_b_c-6f1e2b7c.qcow2',
        '--capacity',
        String(64 * 1024 * 1024),
        '--format',
        'qcow2',
        '--backing-vol',
        '/p/base.qcow2',
        '--backing-vol-format',
        'qcow2',
      ),
    );
    expect(calls).toContainEqual([
      'xorriso',
      '-as',
      'genisoimage',
      '-output',
      `/tmp/virtdeck-seed-${UUID}/seed.iso`,
      '-volid',
      'cidata',
      '-joliet',
      '-rock',
      '-quiet',
      `/tmp/virtdeck-seed-${UUID}/seed`,
    ]);
    expect(calls).toContainEqual(
      v(
        'vol-upload',
        '--pool',
        POOL,
        '--vol',
        'a_b_c-6f1e2b7c-seed.iso',
        '--file',
        `/tmp/virtdeck-seed-${UUID}/seed.iso`,
      ),
    );
    const define = calls.find((c) => c[2]?.includes('define --file'));
    expect(define?.slice(0, 2)).toEqual(['sh', '-c']);
    expect(define?.[2]).not.toContain(NAME); // the script is a constant …
    expect(define?.[5]).toContain('<name>a b\'c"$(touch x);`y` 数据库</name>'); // … the XML an argument
    expect(calls).toContainEqual(v('autostart', '--domain', UUID));
    expect(calls).toContainEqual(v('start', '--domain', UUID));
    // no command other than the constant sh scripts' data arguments carries the name
    expect(calls.filter((c) => c[0] !== 'sh' && c.some((a) => a.includes('$(touch x)')))).toEqual([]);
    // the user's extra user-data is hidden in the log
    expect(task.steps.find((s) => s.name === 'build the cloud-init seed ISO')?.command).not.toContain('secret-thing');
  });

  it("rolls back in reverse when define fails, naming libvirt's reason", async () => {
    const { task, calls } = await run(plan(), (argv) =>
      argv[2]?.includes('define --file')
        ? { code: 1, output: 'error: Failed to define domain from /tmp/x\nerror: XML error: bad\n' }
        : undefined,
    );
    expect(task.state).toBe('failed');
    expect(task.error).toBe(
      "step 'define the domain' failed: error: Failed to define domain from /tmp/x: XML error: bad; the completed steps were rolled back",
    );
    expect(task.steps.map((s) => `${s.name}: ${s.state}`)).toEqual([
      'check the host: succeeded',
      'create the disk: succeeded',
      'define the domain: failed',
      'undo: create the disk: succeeded',
    ]);
    expect(calls.at(-1)).toEqual([
      'virsh',
      '-c',
      'qemu:///system',
      'vol-delete',
      '--pool',
      POOL,
      '--vol',
      'a_b_c-6f1e2b7c.qcow2',
    ]);
  });

  it('copies and grows a copy; creates an empty disk; skips start when asked', async () => {
    const copy = await run(
      plan({ source: { kind: 'copy', base: { pool: POOL, volume: 'base.qcow2' } }, start: false }),
    );
    expect(copy.task.steps.map((s) => s.name)).toEqual([
      'check the host',
      'copy the base volume',
      'grow the disk',
      'define the domain',
    ]);
    expect(copy.calls).toContainEqual([
      'virsh',
      '-c',
      'qemu:///system',
      'vol-clone',
      '--pool',
      POOL,
      '--vol',
      'base.qcow2',
      '--newname',
      'a_b_c-6f1e2b7c.qcow2',
    ]);
    const empty = await run({ ...plan({ source: { kind: 'empty' }, start: false }), base: null });
    expect(empty.calls.find((c) => c.includes('vol-create-as'))).not.toContain('--backing-vol');
  });

  it('fails the check with every reason when the host cannot take the VM', async () => {
    const { task } = await run(plan({ memoryMiB: 8192, diskMiB: 200 * 1024 }));
    expect(task.error).toBe(
      "step 'check the host' failed: this host cannot take the VM: memory: needs 8.0 GiB, 4.0 GiB available; disk: needs 200.0 GiB in pool 'images 'p'', 100.0 GiB free",
    );
  });
});
