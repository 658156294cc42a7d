// Builds a cloud-init NoCloud seed ISO ON THE HOST with whichever tool exists there
// (cloud-localds, genisoimage or xorriso) and uploads it into a storage pool as a volume. Every
// value reaches the host as an argv element; the few shell snippets are constants that take
// their values as quoted positional arguments ($1 …).
import { SEED_TOOLS } from '../../shared/model/deploy';
import type { SeedTool } from '../../shared/model/deploy';
import type { SeedFiles } from './cloud-init';
import { StepError } from '../tasks/workflow';
import type { StepContext } from '../tasks/workflow';

/** What to tell the user when a host has no seed tool. */
export const NO_SEED_TOOL =
  'no tool to build a cloud-init seed ISO on this host: install cloud-image-utils (cloud-localds), ' +
  'genisoimage or xorriso there, or create the VM without cloud-init';

/** The argv that builds `<dir>/seed.iso` from `<dir>/seed/{user-data,meta-data}` with a tool. */
export function seedToolArgv(tool: SeedTool, dir: string): string[] {
  const iso = `${dir}/seed.iso`;
  const genisoimage = ['-output', iso, '-volid', 'cidata', '-joliet', '-rock', '-quiet', `${dir}/seed`];
  switch (tool) {
    case 'cloud-localds':
      return ['cloud-localds', iso, `${dir}/seed/user-data`, `${dir}/seed/meta-data`];
    case 'genisoimage':
      return ['genisoimage', ...genisoimage];
    case 'xorriso':
      return ['xorriso', '-as', 'genisoimage', ...genisoimage];
  }
}

/** A scratch directory on the host, named after the VM's UUID so a rollback finds it again. */
export const seedDir = (uuid: string) => `/tmp/virtdeck-seed-${uuid}`;

const WRITE_FILES =
  'mkdir -m 700 "$1" && mkdir "$1/seed" && printf %s "$2" > "$1/seed/meta-data" && printf %s "$3" > "$1/seed/user-data"';
const FIND_TOOL = `for t in ${SEED_TOOLS.join(' ')}; do command -v "$t" >/dev/null 2>&1 && echo "$t"; done; exit 0`;

export async function findSeedTool(ctx: StepContext): Promise<SeedTool | null> {
  const r = await ctx.run(['sh', '-c', FIND_TOOL], { quiet: true });
  const found = r.output.split('\n').map((l) => l.trim());
  return SEED_TOOLS.find((t) => found.includes(t)) ?? null;
}

/** Writes the seed files and builds the ISO in `seedDir(uuid)`; the user's extra user-data is redacted in the log. */
export async function buildSeedIso(ctx: StepContext, uuid: string, files: SeedFiles, secret?: string): Promise<void> {
  const tool = await findSeedTool(ctx);
  if (!tool) throw new StepError(NO_SEED_TOOL);
  ctx.note(`seed tool: ${tool}`);
  const dir = seedDir(uuid);
  // the log shows the command quoted: hide the user's text both as given and as quoted
  const secrets = secret && secret.length >= 4 ? [secret, secret.replace(/'/g, `'\\''`)] : [];
  await ctx.run(['rm', '-rf', dir]);
  await ctx.run(['sh', '-c', WRITE_FILES, 'sh', dir, files['meta-data'], files['user-data']], { secrets });
  await ctx.run(seedToolArgv(tool, dir), { timeoutMs: 120_000 });
}

/** Uploads `seedDir(uuid)/seed.iso` as a raw volume; on failure deletes what it created. */
export async function uploadSeedIso(
  ctx: StepContext,
  uri: string,
  pool: string,
  volume: string,
  uuid: string,
): Promise<void> {
  const dir = seedDir(uuid);
  const size = (await ctx.run(['stat', '-c', '%s', `${dir}/seed.iso`], { quiet: true })).output.trim();
  if (!/^\d+$/.test(size)) throw new StepError(`cannot read the seed ISO's size: ${size.slice(0, 200)}`);
  await ctx.run([
    'virsh',
    '-c',
    uri,
    'vol-create-as',
    '--pool',
    pool,
    '--name',
    volume,
    '--capacity',
    size,
    '--format',
    'raw',
  ]);
  try {
    await ctx.run(['virsh', '-c', uri, 'vol-upload', '--pool', pool, '--vol', volume, '--file', `${dir}/seed.iso`], {
      timeoutMs: 300_000,
    });
  } catch (e) {
    await ctx.run(['virsh', '-c', uri, 'vol-delete', '--pool', pool, '--vol', volume], { allowFailure: true });
    throw e;
  }
  await ctx.run(['rm', '-rf', dir], { allowFailure: true });
}
