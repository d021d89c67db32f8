// Runs the self-check workflow on the running stack and prints what it proved.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import {
  DEFAULT_SCAN_TASK_QUEUE,
  DEFAULT_TEMPORAL_NAMESPACE,
  RepoGuardOrgId,
  SELF_CHECK_WORKFLOW,
  type SelfCheckResult,
} from '@repoguard/contract';

async function main(): Promise<void> {
  const address = process.env['TEMPORAL_ADDRESS'] ?? '127.0.0.1:7233';
  const namespace = process.env['TEMPORAL_NAMESPACE'] ?? DEFAULT_TEMPORAL_NAMESPACE;
  const taskQueue = process.env['TEMPORAL_TASK_QUEUE'] ?? DEFAULT_SCAN_TASK_QUEUE;
  const uiUrl = process.env['TEMPORAL_UI_URL'] ?? 'http://127.0.0.1:8233';
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection, namespace });
    const workflowId = `self-check:${randomUUID()}`;
    const handle = await client.workflow.start(SELF_CHECK_WORKFLOW, {
      taskQueue,
      workflowId,
      args: [{ nonce: workflowId, orgId: 'system' }],
      typedSearchAttributes: [{ key: RepoGuardOrgId, value: 'system' }],
      // A worker that is not there should fail this check, not hang it.
      workflowExecutionTimeout: '60 seconds',
    });
    const result: SelfCheckResult = await handle.result();
    console.log(
      `self-check passed: worker ${result.checkedBy} reached PostgreSQL ` +
        `(server time ${result.database.serverTime}, ${result.database.appliedMigrations} migrations applied)`,
    );
    console.log(`  history: ${uiUrl}/namespaces/${namespace}/workflows/${encodeURIComponent(workflowId)}`);
  } finally {
    await connection.close();
  }
}

main().catch((error: unknown) => {
  console.error(`self-check failed: ${(error as Error).message}`);
  process.exit(1);
});
