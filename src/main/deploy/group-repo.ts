// The deploy_groups table (migration 3): a group's template and placement policy as JSON, its
// desired count. Instances are not stored: they are the domains tagged with the group's id.
import type { Database as Db } from 'better-sqlite3';
import { placementPolicySchema, vmTemplateSchema } from '../../shared/contract/deploy-schemas';
import type { VmGroup } from '../../shared/model/deploy';

interface GroupRow {
  id: string;
  name: string;
  template: string;
  policy: string;
  desired: number;
  created_at: number;
  updated_at: number;
}

function toGroup(r: GroupRow): VmGroup {
  return {
    id: r.id,
    name: r.name,
    // parsed again so a row written by an older VirtDeck gets today's defaults
    template: vmTemplateSchema.parse(JSON.parse(r.template)),
    policy: placementPolicySchema.parse(JSON.parse(r.policy)),
    desired: r.desired,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export class GroupRepo {
  constructor(private readonly db: Db) {}

  list(): VmGroup[] {
    return (this.db.prepare('SELECT * FROM deploy_groups ORDER BY name').all() as GroupRow[]).map(toGroup);
  }

  get(id: string): VmGroup | null {
    const r = this.db.prepare('SELECT * FROM deploy_groups WHERE id = ?').get(id) as GroupRow | undefined;
    return r ? toGroup(r) : null;
  }

  byName(name: string): VmGroup | null {
    const r = this.db.prepare('SELECT * FROM deploy_groups WHERE name = ?').get(name) as GroupRow | undefined;
    return r ? toGroup(r) : null;
  }

  upsert(g: VmGroup): void {
    this.db
      .prepare(
        `INSERT INTO deploy_groups (id, name, template, policy, desired, created_at, updated_at)
         VALUES (@id, @name, @template, @policy, @desired, @createdAt, @updatedAt)
         ON CONFLICT (id) DO UPDATE SET name = @name, template = @template, policy = @policy,
           desired = @desired, updated_at = @updatedAt`,
      )
      .run({ ...g, template: JSON.stringify(g.template), policy: JSON.stringify(g.policy) });
  }

  setDesired(id: string, desired: number, at: number): void {
    this.db.prepare('UPDATE deploy_groups SET desired = ?, updated_at = ? WHERE id = ?').run(desired, at, id);
  }

  remove(id: string): void {
    this.db.prepare('DELETE FROM deploy_groups WHERE id = ?').run(id);
  }
}
