// Finds the domains VirtDeck created on a host, in one command: every domain's UUID, name and
// VirtDeck tag (`virsh metadata --uri <VirtDeck namespace>`; domains without one print nothing).
import { DEPLOY_XMLNS } from '../../shared/model/deploy';
import { parseInstanceTag } from './domain-xml';
import type { InstanceTag } from './domain-xml';
import { MARK } from './host-probe';

const SCRIPT = `uri=$1; ns=$2
virsh -c "$uri" list --all --uuid || exit 1
echo '${MARK}tags'
virsh -c "$uri" list --all --uuid | while IFS= read -r u; do
  [ -n "$u" ] || continue
  echo "${MARK}dom $u"; virsh -c "$uri" domname --domain "$u" 2>/dev/null
  echo "${MARK}tag"; virsh -c "$uri" metadata --domain "$u" --uri "$ns" 2>/dev/null
done
exit 0`;

export function scanArgv(uri: string): string[] {
  return ['sh', '-c', SCRIPT, 'sh', uri, DEPLOY_XMLNS];
}

export interface TaggedDomain {
  uuid: string;
  name: string;
  tag: InstanceTag;
}

/** The tagged domains in the scan's output (untagged ones are left out). */
export function parseScan(output: string): TaggedDomain[] {
  const out: TaggedDomain[] = [];
  const start = output.indexOf(`${MARK}tags\n`);
  if (start < 0) return out;
  const blocks = output.slice(start).split(`${MARK}dom `).slice(1);
  for (const b of blocks) {
    const [head, tagText = ''] = b.split(`${MARK}tag\n`);
    const lines = (head ?? '').split('\n');
    const uuid = (lines[0] ?? '').trim();
    const name = lines.slice(1).join('\n').replace(/\n+$/, '');
    const tag = parseInstanceTag(tagText);
    if (uuid && tag) out.push({ uuid, name, tag });
  }
  return out;
}
