// Runs once before the integration and e2e suites: a migrated test database and a Temporal server.
// Jest loads this file without moduleNameMapper, so it imports by relative path only.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { startLocalTemporal } from './local-temporal';
import { DEFAULT_TEMPORAL_NAMESPACE } from '../../libs/contract/src/task-queues';

declare global {
  var __repoguardTemporal__: TestWorkflowEnvironment | undefined;
}

export default async function globalSetup(): Promise<void> {
  const databaseUrl =
    process.env['TEST_DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/repoguard_test';
  process.env['DATABASE_URL'] = databaseUrl;
  // In a child process: MikroORM keeps metadata in globals, and a Map created in this realm
  // breaks MikroORM.init inside the test sandboxes (mikro-orm#3783).
  execFileSync(
    process.execPath,
    ['-r', '@swc-node/register', path.join(__dirname, '../../scripts/db-prepare.ts')],
    {
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );

  // A cluster given by the caller is used as it is (it must have the search attributes registered).
  if (process.env['TEMPORAL_ADDRESS']) return;

  const env = await startLocalTemporal();
  globalThis.__repoguardTemporal__ = env;
  // Test workers are forked after this, so they inherit the address.
  process.env['TEMPORAL_ADDRESS'] = env.address;
  process.env['TEMPORAL_NAMESPACE'] = DEFAULT_TEMPORAL_NAMESPACE;
}
