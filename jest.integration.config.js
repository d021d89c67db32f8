// Integration tests: real PostgreSQL and a real Temporal dev server (started by the global set-up).
const base = require('./jest.base.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  displayName: 'integration',
  testMatch: ['<rootDir>/{apps,libs}/**/*.int-spec.ts'],
  setupFiles: [...base.setupFiles, '<rootDir>/test/support/temporal-logging.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  // A handle a test leaves open must not hold CI until its timeout; the reporter names it.
  forceExit: true,
  reporters: ['default', '<rootDir>/test/support/open-handles-reporter.js'],
  testTimeout: 60_000,
};
