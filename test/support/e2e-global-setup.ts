// The e2e suite's set-up: the shared one (database, Temporal), plus a fresh folder where every
// Jest worker records the API's answers for the contract check in e2e-global-teardown.ts.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { RECORD_DIR_ENV } from './api-contract/recorded-response';
import globalSetup from './global-setup';

export default async function e2eGlobalSetup(): Promise<void> {
  await globalSetup();
  // Test workers are forked after this, so they inherit it.
  process.env[RECORD_DIR_ENV] = mkdtempSync(path.join(tmpdir(), 'repoguard-api-responses-'));
}
