// ESLint flat config: TypeScript + Vue rules, and the layering that keeps headless mode honest:
//   src/shared   imports nothing of the app, no Node, no Electron, no Vue, no DOM-only code
//   src/renderer never imports Node built-ins, main-process code, or Electron
//   electron     only in src/main/app (the Electron glue) and src/main/preload
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

const nodeBuiltins = [
  'node:*',
  'fs',
  'fs/*',
  'path',
  'os',
  'child_process',
  'net',
  'http',
  'https',
  'crypto',
  'stream',
  'util',
  'worker_threads',
];
const mainOnlyPackages = ['ssh2', 'ws', 'better-sqlite3', 'electron', 'electron/*'];

const noElectron = {
  group: ['electron', 'electron/*'],
  message: "'electron' belongs only in src/main/app and src/main/preload; the core must run headless under plain Node.",
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'bench/results/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'vue/multi-word-component-names': 'off',
    },
  },
  {
    files: ['src/**/*.ts', 'src/**/*.vue', 'test/**/*.ts', 'bench/**/*.ts'],
    ignores: ['src/main/app/**', 'src/main/preload/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noElectron] }] },
  },
  {
    files: ['src/shared/**/*.ts'],
    languageOptions: { globals: { ...globals['shared-node-browser'] } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            noElectron,
            { group: nodeBuiltins, message: 'src/shared is pure: no Node built-ins.' },
            {
              group: [...mainOnlyPackages, 'vue', 'pinia', 'naive-ui', 'vue-*', 'echarts'],
              message: 'src/shared imports no app framework.',
            },
            {
              group: ['**/main/**', '**/renderer/**', '../../main/*', '../../renderer/*'],
              message: 'src/shared imports nothing of the app.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/renderer/**/*.ts', 'src/renderer/**/*.vue'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            noElectron,
            {
              group: nodeBuiltins,
              message: 'The renderer is sandboxed: no Node built-ins. Ask the core through src/renderer/api.',
            },
            { group: mainOnlyPackages, message: 'Main-process packages do not belong in the renderer.' },
            {
              group: ['**/main/**', '../../main/*'],
              message: 'The renderer never imports main-process code; use the contract.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
