// One build tool for all three targets (see docs/architecture.md for why electron-vite):
// main (Electron entry + the plain-Node headless entry), preload, renderer.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import vue from '@vitejs/plugin-vue';

const pkg = JSON.parse(readFileSync(resolve(__dirname, 'package.json'), 'utf8')) as { version: string };
const define = { __VIRTDECK_VERSION__: JSON.stringify(pkg.version) };

export default defineConfig({
  main: {
    define,
    build: {
      // the headless entry runs on the user's Node (>= 20), not only on Electron's
      target: 'node20',
      outDir: 'out/main',
      rollupOptions: {
        input: {
          electron: resolve(__dirname, 'src/main/app/main.ts'),
          headless: resolve(__dirname, 'src/main/headless/index.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // a sandboxed preload can only require('electron'): bundle everything else into it
      externalizeDeps: { exclude: ['zod'] },
      rollupOptions: { input: { index: resolve(__dirname, 'src/main/preload/index.ts') } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    define,
    plugins: [vue()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: { input: resolve(__dirname, 'src/renderer/index.html') },
    },
  },
});
