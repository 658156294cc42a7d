// The create-VM wizard's and groups' part of the contract (issue 7). Spread into `api` and
// `events`. The wizard's flow: deploy.hostOptions (what each host offers) → deploy.placement
// (automatic: every candidate host asked, ranked, each with its reasons) → deploy.validate /
// deploy.previewXml (field errors, the domain XML) → deploy.create (a task: create volume(s) →
// [seed ISO] → define → [autostart] → [start → wait until running]).
import { z } from 'zod';
import { event, method } from './define';
import { groupSaveSchema, placementRequestSchema, vmSpecSchema } from './deploy-schemas';
import type {
  DeployPreview,
  DeployValidation,
  GroupView,
  HostDeployOptions,
  PlacementResult,
  ScaleResult,
  VmGroup,
} from '../model/deploy';
import type { Task } from '../model/task';

const groupId = z.string().min(1, 'id is required').max(64);

export const deployMethods = {
  /** Per host (all real hosts when `hostIds` is absent): pools, volumes, networks, bridges, seed tool, capacity. */
  'deploy.hostOptions': method(
    z.object({ hostIds: z.array(z.string().min(1)).min(1).max(1000).optional() }).strict(),
  ).returns<HostDeployOptions[]>(),
  /** Asks every candidate host for capacity and ranks them; excluded hosts carry the reason. */
  'deploy.placement': method(placementRequestSchema).returns<PlacementResult>(),
  /** Field-level errors (name rules, name taken on the host, sizes vs capacity, missing pool/volume/network). */
  'deploy.validate': method(vmSpecSchema).returns<DeployValidation>(),
  /** validate + the domain XML `define` will get and the task's planned steps. */
  'deploy.previewXml': method(vmSpecSchema).returns<DeployPreview>(),
  /**
   * Creates the VM as a task (kind `deploy.create`, target = the VM's UUID). Placement `auto` is
   * resolved first (conflict naming every host's reason when none fits); capacity and a unique
   * name are checked again by the task's first step, so a race fails the task, not the host.
   */
  'deploy.create': method(vmSpecSchema).returns<Task>(),
  /** Groups with their instances (found by the VirtDeck tag in each domain's metadata). */
  'groups.list': method(z.object({}).strict()).returns<GroupView[]>(),
  /** Creates (no id) or replaces a group's template, policy and desired count; creates no VM. */
  'groups.save': method(groupSaveSchema).returns<VmGroup>(),
  /** Deletes a group; with instances left it needs `removeInstances` (one delete task each). */
  'groups.delete': method(z.object({ id: groupId, removeInstances: z.boolean().default(false) }).strict()).returns<{
    removed: true;
    tasks: Task[];
  }>(),
  /** Sets the desired count and creates (placed automatically) or removes (newest first) instances, as tasks. */
  'groups.scale': method(
    z.object({ id: groupId, count: z.number().int('count must be a whole number').min(0).max(1000) }).strict(),
  ).returns<ScaleResult>(),
} as const;

export const deployEvents = {
  /** A group was saved, deleted or scaled (its instances change with task.updated / host.updated). */
  'groups.changed': event<{ ids: string[] }>(),
} as const;
