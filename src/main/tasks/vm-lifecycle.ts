// VM lifecycle workflows: each action as steps of `virsh -c <uri> … --domain <uuid>` argv arrays
// (quoted by toShellCommand alone), with undos where one exists, and graceful shutdown that waits
// and then forces off or fails, as the request says.
import type { VmAction, VmActionOptions } from '../../shared/model/task';
import { StepError } from './workflow';
import type { StepContext, StepDef, TaskSpec, WorkflowFactory } from './workflow';

export const DEFAULT_SHUTDOWN_TIMEOUT_SEC = 60;
/** How often a graceful shutdown looks at the domain's state. */
export const SHUTDOWN_POLL_MS = 1000;

/** `virsh -c <uri> <command> --domain <uuid> …`: the VM is always addressed by its UUID. */
export function virshArgv(uri: string, command: string, uuid: string, ...extra: string[]): string[] {
  return ['virsh', '-c', uri, command, '--domain', uuid, ...extra];
}

export function vmTaskKind(action: VmAction): string {
  return `vm.${action}`;
}

interface LifecycleRequest {
  action: VmAction;
  options: VmActionOptions;
}

function simple(name: string, uri: string, uuid: string, command: string, undo?: [string, string]): StepDef {
  const step: StepDef = {
    name,
    run: async (ctx) => void (await ctx.run(virshArgv(uri, command, uuid))),
  };
  if (undo) {
    const [undoName, undoCommand] = undo;
    step.undo = { name: undoName, run: async (ctx) => void (await ctx.run(virshArgv(uri, undoCommand, uuid))) };
  }
  return step;
}

async function domState(ctx: StepContext, uri: string, uuid: string): Promise<string> {
  const r = await ctx.run(virshArgv(uri, 'domstate', uuid), { quiet: true });
  return r.output.trim().split('\n')[0]?.trim() ?? '';
}

function shutdownSteps(uri: string, uuid: string, options: VmActionOptions): StepDef[] {
  const timeoutSec = options.timeoutSec ?? DEFAULT_SHUTDOWN_TIMEOUT_SEC;
  return [
    simple('ask the guest to shut down', uri, uuid, 'shutdown'),
    {
      name: 'wait until shut off',
      run: async (ctx) => {
        const deadline = ctx.now() + timeoutSec * 1000;
        const maxPolls = Math.ceil((timeoutSec * 1000) / SHUTDOWN_POLL_MS) + 2; // bounded, whatever the clock does
        for (let i = 0; i < maxPolls; i++) {
          const state = await domState(ctx, uri, uuid);
          if (state === 'shut off') {
            ctx.note(`shut off after ${Math.round((ctx.now() - (deadline - timeoutSec * 1000)) / 1000)} s`);
            return;
          }
          if (ctx.now() >= deadline) {
            ctx.note(`still ${state || 'not shut off'} after ${timeoutSec} s`);
            if (options.forceAfterTimeout) {
              ctx.vars.set('force', '1');
              return;
            }
            throw new StepError(
              `the guest did not shut down within ${timeoutSec} s (it may ignore ACPI). ` +
                'Force it off with the Force off action, or retry with forceAfterTimeout.',
            );
          }
          await ctx.sleep(SHUTDOWN_POLL_MS);
        }
        throw new StepError(`the guest did not shut down within ${timeoutSec} s`);
      },
    },
    {
      name: 'force off after the timeout',
      when: (ctx) => ctx.vars.get('force') === '1',
      run: async (ctx) => void (await ctx.run(virshArgv(uri, 'destroy', uuid))),
    },
  ];
}

function deleteSteps(uri: string, uuid: string, options: VmActionOptions): StepDef[] {
  const undefine = options.removeStorage ? ['--remove-all-storage'] : [];
  return [
    {
      name: 'check the state',
      run: async (ctx) => {
        const state = await domState(ctx, uri, uuid);
        ctx.note(`state: ${state}`);
        if (state !== 'shut off') ctx.vars.set('active', '1');
      },
    },
    {
      // undefining a running domain would leave it running as a transient one
      name: 'force off before deleting',
      when: (ctx) => ctx.vars.get('active') === '1',
      run: async (ctx) => void (await ctx.run(virshArgv(uri, 'destroy', uuid))),
      undo: { name: 'start it again', run: async (ctx) => void (await ctx.run(virshArgv(uri, 'start', uuid))) },
    },
    {
      name: options.removeStorage ? 'undefine and remove its storage' : 'undefine',
      // deleting big volumes takes a while: a timeout would drop the host's connection
      run: async (ctx) => void (await ctx.run(virshArgv(uri, 'undefine', uuid, ...undefine), { timeoutMs: 600_000 })),
    },
  ];
}

/** The steps of one lifecycle action on the VM with this UUID. */
export function lifecycleSteps(uri: string, uuid: string, { action, options }: LifecycleRequest): StepDef[] {
  switch (action) {
    case 'start':
      return [simple('start', uri, uuid, 'start', ['force off', 'destroy'])];
    case 'shutdown':
      return shutdownSteps(uri, uuid, options);
    case 'reboot':
      return [simple('reboot', uri, uuid, 'reboot')];
    case 'forceOff':
      return [simple('force off', uri, uuid, 'destroy')];
    case 'suspend':
      return [simple('suspend', uri, uuid, 'suspend', ['resume', 'resume'])];
    case 'resume':
      return [simple('resume', uri, uuid, 'resume', ['suspend', 'suspend'])];
    case 'autostartOn':
      return [
        {
          ...simple('autostart on', uri, uuid, 'autostart'),
          undo: {
            name: 'autostart off',
            run: async (ctx) => void (await ctx.run(virshArgv(uri, 'autostart', uuid, '--disable'))),
          },
        },
      ];
    case 'autostartOff':
      return [
        {
          name: 'autostart off',
          run: async (ctx) => void (await ctx.run(virshArgv(uri, 'autostart', uuid, '--disable'))),
          undo: { name: 'autostart on', run: async (ctx) => void (await ctx.run(virshArgv(uri, 'autostart', uuid))) },
        },
      ];
    case 'delete':
      return deleteSteps(uri, uuid, options);
  }
}

/** Workflows of every `vm.<action>` task; `uriOf` gives a host's libvirt URI (throws if unknown). */
export function lifecycleWorkflows(uriOf: (hostId: string) => string): WorkflowFactory {
  return (task: TaskSpec) => {
    if (!task.kind.startsWith('vm.') || !task.hostId || !task.target) {
      throw new Error(`not a VM lifecycle task: ${task.kind}`);
    }
    const action = task.kind.slice(3) as VmAction;
    const options = (task.params.options ?? {}) as VmActionOptions;
    return lifecycleSteps(uriOf(task.hostId), task.target, { action, options });
  };
}
