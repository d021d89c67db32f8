// End-to-end tests in test/: HTTP, worker and Temporal together on the real services.
const base = require('./jest.base.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  displayName: 'e2e',
  testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
  setupFiles: [
    ...base.setupFiles,
    '<rootDir>/test/support/temporal-logging.ts',
    '<rootDir>/test/support/record-api-responses.ts',
  ],
  globalSetup: '<rootDir>/test/support/e2e-global-setup.ts',
  // Also checks every answer the API gave against its OpenAPI document (test/support/api-contract).
  globalTeardown: '<rootDir>/test/support/e2e-global-teardown.ts',
  // A handle a test leaves open must not hold CI until its timeout; the reporter names it.
  forceExit: true,
  reporters: ['default', '<rootDir>/test/support/open-handles-reporter.js'],
  testTimeout: 120_000,
};
