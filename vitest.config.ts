// Test layers, all run by `npm test` (scripts/test.mjs): unit, contract (every transport),
// integration (real sshd + libvirtd lab), e2e (Chromium against `serve`).
import { defineConfig } from 'vitest/config';
import vue from '@vitejs/plugin-vue';

const define = { __VIRTDECK_VERSION__: JSON.stringify('0.0.0-test') };
/** Every test file's temporary directories are removed after it. */
const setupFiles = ['test/helpers/temp-cleanup.ts'];

export default defineConfig({
  define,
  test: {
    projects: [
      { define, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node', setupFiles } },
      {
        define,
        plugins: [vue()],
        test: { name: 'renderer', include: ['test/renderer/**/*.test.ts'], environment: 'node', setupFiles },
      },
      { define, test: { name: 'contract', include: ['test/contract/**/*.test.ts'], setupFiles } },
      {
        define,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          setupFiles,
        },
      },
      {
        define,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          setupFiles,
        },
      },
    ],
  },
});
