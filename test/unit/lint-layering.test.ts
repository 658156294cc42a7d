// The layering rules are real: ESLint (with the project's own config) rejects a renderer file
// importing node:fs or main code, electron outside the glue, and Node or Vue in src/shared.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('layering (eslint)', () => {
  it('rejects node:fs in the renderer', async () => {
    expect(
      await ruleIds(
        "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n",
        'src/renderer/stores/x.ts',
      ),
    ).toContain('no-restricted-imports');
  });
  it('rejects main-process code in the renderer', async () => {
    expect(
      await ruleIds(
        "import { Fleet } from '../../main/collector/fleet';\nexport const x = Fleet;\n",
        'src/renderer/stores/x.ts',
      ),
    ).toContain('no-restricted-imports');
  });
  it('rejects electron outside src/main/app and src/main/preload', async () => {
    const code = "import { app } from 'electron';\nexport const x = app;\n";
    expect(await ruleIds(code, 'src/main/collector/x.ts')).toContain('no-restricted-imports');
    expect(await ruleIds(code, 'src/main/headless/x.ts')).toContain('no-restricted-imports');
    expect(await ruleIds(code, 'src/main/app/x.ts')).not.toContain('no-restricted-imports');
    expect(await ruleIds(code, 'src/main/preload/x.ts')).not.toContain('no-restricted-imports');
  });
  it('keeps src/shared free of Node, Vue and app code', async () => {
    expect(
      await ruleIds("import { join } from 'node:path';\nexport const x = join;\n", 'src/shared/model/x.ts'),
    ).toContain('no-restricted-imports');
    expect(await ruleIds("import { ref } from 'vue';\nexport const x = ref;\n", 'src/shared/model/x.ts')).toContain(
      'no-restricted-imports',
    );
    expect(
      await ruleIds(
        "import { Fleet } from '../../main/collector/fleet';\nexport const x = Fleet;\n",
        'src/shared/model/x.ts',
      ),
    ).toContain('no-restricted-imports');
  });
});
