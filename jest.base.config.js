// Shared by the unit, integration and e2e configs. Tests run from TypeScript through SWC.
const { compilerOptions } = require('./tsconfig.json');

// ESM-only packages that Jest's CommonJS runtime cannot require(): SWC rewrites them to CommonJS.
const esmOnlyPackages = [
  '@octokit',
  'before-after-hook',
  'universal-user-agent',
  'content-type',
  'json-with-bigint',
  'fast-content-type-parse',
  'toad-cache',
  'bottleneck',
  'universal-github-app-jwt',
];

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
    `^${alias.replace('/', '\\/')}$`,
    `<rootDir>/${target}`,
  ]),
);

// Packages whose exports offer only an `import` condition: Jest resolves with `require`, so point
// it at the ESM build, which the transform above rewrites like the others.
moduleNameMapper['^@octokit/webhooks-methods$'] =
  '<rootDir>/node_modules/@octokit/webhooks-methods/dist-node/index.js';

/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  transform: {
    '^.+\\.(t|j|mj)s$': [
      '@swc/jest',
      {
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          keepClassNames: true,
        },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnlyPackages.join('|')})/)`],
  moduleNameMapper,
  setupFiles: ['<rootDir>/test/support/test-cache-dir.ts'],
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.repoguard/'],
};
