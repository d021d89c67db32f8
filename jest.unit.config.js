// Unit tests: no network, no database, no Temporal server.
const base = require('./jest.base.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  displayName: 'unit',
  testMatch: ['<rootDir>/{apps,libs,test,scripts}/**/*.spec.ts'],
};
