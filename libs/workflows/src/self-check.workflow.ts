import { proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '@repoguard/activities';
import { RepoGuardStatus, type SelfCheckInput, type SelfCheckResult } from '@repoguard/contract';

const { probeDatabase } = proxyActivities<Activities>({
  // A probe is a single quick query: anything slower means the database is in trouble.
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 5, initialInterval: '200 milliseconds' },
});

export async function selfCheckWorkflow(input: SelfCheckInput): Promise<SelfCheckResult> {
  upsertSearchAttributes([{ key: RepoGuardStatus, value: 'RUNNING' }]);
  const probe = await probeDatabase();
  upsertSearchAttributes([{ key: RepoGuardStatus, value: 'COMPLETED' }]);
  return { nonce: input.nonce, ...probe };
}
