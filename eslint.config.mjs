// @ts-check
import { builtinModules } from 'node:module';
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import regexpPlugin from 'eslint-plugin-regexp';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

// What the domain may never depend on: frameworks, adapters, I/O. It stays pure TypeScript so
// workflows can call it and tests need nothing running.
const DOMAIN_FORBIDDEN = [
  '@nestjs/*',
  '@mikro-orm/*',
  '@temporalio/*',
  '@octokit/*',
  'class-validator',
  'class-transformer',
  'express',
  'ioredis',
  'pg',
  'fflate',
  '@yarnpkg/lockfile',
  '@repoguard/infrastructure',
  '@repoguard/activities',
  '@repoguard/workflows',
  '**/apps/**',
  '**/infrastructure/**',
  '**/activities/**',
  '**/workflows/**',
];

// Workflow code runs in Temporal's deterministic sandbox: no Node APIs, no I/O clients, and
// activities only as types (proxyActivities<Activities>).
const WORKFLOW_FORBIDDEN = [
  '@nestjs/*',
  '@mikro-orm/*',
  '@octokit/*',
  '@temporalio/worker',
  '@temporalio/client',
  '@temporalio/activity',
  'express',
  'ioredis',
  'pg',
  '@repoguard/infrastructure',
  '**/infrastructure/**',
  '**/apps/**',
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      '.repoguard/**',
      '.bench-dist/**',
      'libs/infrastructure/src/persistence/migrations/Migration*.ts',
      'eslint.config.mjs',
      'jest.*.js',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx', 'apps/web/vite.config.mts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Manifests, advisories and request bodies are hostile: a regular expression that backtracks
    // or rescans on crafted input turns one file into a stalled scan.
    files: ['**/*.ts'],
    plugins: regexpPlugin.configs.recommended.plugins,
    rules: {
      ...regexpPlugin.configs.recommended.rules,
      'regexp/no-super-linear-backtracking': 'error',
      'regexp/no-super-linear-move': 'error',
      // Style only, and fast-check's stringMatching refuses the i flag it asks for.
      'regexp/use-ignore-case': 'off',
    },
  },
  {
    // The dashboard (apps/web, its own tsconfig with the DOM): React's rules of hooks.
    files: ['apps/web/**/*.tsx', 'apps/web/**/*.ts'],
    ...reactHooks.configs.flat['recommended-latest'],
  },
  {
    files: ['**/*.mjs'],
    ignores: ['apps/web/vite.config.mts'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Response: 'readonly' } },
  },
  {
    // The bin's launcher runs before any TypeScript tooling is loaded: plain CommonJS for Node.
    files: ['bin/**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', process: 'readonly', __dirname: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['libs/domain/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'libs/domain is pure: no Node built-ins.' })),
          patterns: [
            { group: DOMAIN_FORBIDDEN, message: 'libs/domain imports no framework, adapter or I/O.' },
          ],
        },
      ],
    },
  },
  {
    // Use cases: domain ports and rules only, whoever calls them (HTTP, webhooks, activities).
    files: ['libs/application/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({
            name,
            message: 'libs/application uses ports, not Node APIs.',
          })),
          patterns: [
            {
              group: [...DOMAIN_FORBIDDEN.filter((g) => g !== '@temporalio/*'), '@temporalio/*'],
              message: 'libs/application works through domain ports: no framework, adapter or I/O.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['libs/workflows/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.int-spec.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({ name, message: 'Workflow code may not use Node APIs.' })),
            {
              name: '@repoguard/activities',
              allowTypeImports: true,
              message: 'Workflows import activities by type only: proxyActivities<Activities>.',
            },
          ],
          patterns: [
            { group: WORKFLOW_FORBIDDEN, message: 'Workflow code may not import I/O clients or adapters.' },
            {
              group: ['**/activities/**'],
              allowTypeImports: true,
              message: 'Workflows import activities by type only: proxyActivities<Activities>.',
            },
          ],
        },
      ],
    },
  },
  prettier,
);
