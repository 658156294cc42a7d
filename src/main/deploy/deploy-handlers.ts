// The contract's deploy.* and groups.* methods (issue 7), and the composition of the deploy
// core from the fleet (hosts, commands, collector states) and the task engine.
import type { EventHub } from '../../shared/rpc/event-hub';
import type { Handlers } from '../../shared/rpc/server';
import type { Fleet } from '../collector/fleet';
import type { TaskService } from '../tasks/task-service';
import type { WorkflowFactory } from '../tasks/workflow';
import { CREATE_KIND, createWorkflow } from './create-workflow';
import type { CreateDeps } from './create-workflow';
import { DeployService } from './deploy-service';
import { GroupRepo } from './group-repo';
import { GroupService } from './group-service';

export type DeployHandlers = Pick<
  Handlers,
  | 'deploy.hostOptions'
  | 'deploy.placement'
  | 'deploy.validate'
  | 'deploy.previewXml'
  | 'deploy.create'
  | 'groups.list'
  | 'groups.save'
  | 'groups.delete'
  | 'groups.scale'
>;

/** The task workflows of deploy.* kinds, for the TaskService. */
export function deployWorkflows(
  fleet: Fleet,
  extra: Pick<CreateDeps, 'runningTimeoutMs' | 'pollMs'> = {},
): Record<string, WorkflowFactory> {
  return {
    [CREATE_KIND]: createWorkflow({
      ...extra,
      uriOf: (id) => fleet.uriOf(id),
      vmState: async (hostId, uuid) => (await fleet.refresh(hostId)).vms.find((v) => v.uuid === uuid)?.state ?? null,
    }),
  };
}

export interface DeployCore {
  deploy: DeployService;
  groups: GroupService;
}

export function createDeployCore(fleet: Fleet, tasks: TaskService, hub: EventHub): DeployCore {
  const hosts = () =>
    fleet.list().map((v) => ({ id: v.config.id, name: v.config.name, simulated: v.config.simulated }));
  const exec = {
    run: (hostId: string, argv: readonly string[], timeoutMs: number) => fleet.runCommand(hostId, argv, timeoutMs),
  };
  const deploy = new DeployService({
    hosts,
    exec,
    uriOf: (id) => fleet.uriOf(id),
    assertCanRun: (id) => fleet.assertCanRun(id),
    engine: tasks.engine,
  });
  const groups = new GroupService({
    repo: new GroupRepo(tasks.database()),
    deploy,
    engine: tasks.engine,
    exec,
    hosts,
    uriOf: (id) => fleet.uriOf(id),
    vmState: (hostId, uuid) =>
      fleet
        .list()
        .find((v) => v.config.id === hostId)
        ?.vms.find((v) => v.uuid === uuid)?.state ?? null,
    onChanged: (ids) => hub.emit('groups.changed', { ids }),
  });
  return { deploy, groups };
}

export function deployHandlers({ deploy, groups }: DeployCore): DeployHandlers {
  return {
    'deploy.hostOptions': ({ hostIds }) => deploy.hostOptions(hostIds),
    'deploy.placement': (p) => deploy.placement(p),
    'deploy.validate': (spec) => deploy.validate(spec),
    'deploy.previewXml': (spec) => deploy.preview(spec),
    'deploy.create': (spec) => deploy.create(spec),
    'groups.list': () => groups.list(),
    'groups.save': (p) => groups.save(p),
    'groups.delete': ({ id, removeInstances }) => groups.remove(id, removeInstances),
    'groups.scale': ({ id, count }) => groups.scale(id, count),
  };
}
