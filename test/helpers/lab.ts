// Lab-dependent test suites: outside CI a missing lab skips them with the reason; under
// CI=true it fails them.
import { describe, it } from 'vitest';
import { readLab } from './lab-env';
import type { Lab } from './lab-env';

export { readLab } from './lab-env';
export type { Lab } from './lab-env';

/** describe() for tests that need the lab: skipped with the reason, or failed under CI=true. */
export function describeWithLab(name: string, body: (lab: () => Lab) => void): void {
  const lab = readLab();
  if ('missing' in lab) {
    if (process.env.CI === 'true') {
      describe(name, () => {
        it('needs the lab', () => {
          throw new Error(`lab required under CI=true but ${lab.missing}`);
        });
      });
    } else {
      describe.skip(`${name} (skipped: ${lab.missing})`, () => body(() => lab as never));
    }
    return;
  }
  describe(name, () => body(() => lab));
}
