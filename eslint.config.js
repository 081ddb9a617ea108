// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';

/** [Note: Import rules] DESIGN.md "Layout": the folder is a runtime promise. */
const noElectron = {
  group: ['electron', 'electron/*'],
  message: 'core and shared run in plain Node: never import electron.',
};
const noRenderer = {
  group: ['**/src-renderer/**'],
  message: 'main-side code never imports the renderer.',
};
const noGlue = {
  group: ['**/electron/**', '**/core-host/**', '**/cli/**'],
  message: 'core never imports the Electron glue, the host or the CLI.',
};
const noSchemas = {
  group: ['zod', 'zod/*', '**/shared/contract-schemas'],
  message:
    'arguments are checked once, in main ([Note: Validated once, in main]): the preload and the renderer load no schemas.',
};
const onlyShared = {
  group: ['**/core/**', '**/electron/**', '**/core-host/**', '**/cli/**'],
  message: 'the renderer imports only src-main/shared (types).',
};

export default tseslint.config(
  { ignores: ['node_modules', 'out', '.cache', 'test-results', 'bin'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src-main/shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            noElectron,
            noRenderer,
            {
              group: ['node:*', 'better-sqlite3', 'sharp', 'onnxruntime-node', '**/core/**'],
              message: 'shared is pure TS, imported by every side.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src-main/core/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noElectron, noRenderer, noGlue] }] },
  },
  {
    files: ['src-main/cli/**', 'src-main/core-host/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noElectron, noRenderer] }] },
  },
  {
    files: ['src-main/electron/preload.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noRenderer, noSchemas] }] },
  },
  {
    files: ['src-renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            noElectron,
            onlyShared,
            noSchemas,
            { group: ['node:*'], message: 'the renderer is sandboxed: no Node modules.' },
          ],
        },
      ],
    },
  },
);
