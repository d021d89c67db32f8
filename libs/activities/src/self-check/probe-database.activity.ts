import type { SystemProbe } from '@repoguard/domain';
import type { SelfCheckResult } from '@repoguard/contract';

export interface ProbeDatabaseDeps {
  readonly systemProbe: SystemProbe;
  readonly workerIdentity: string;
}

export function createProbeDatabaseActivity({ systemProbe, workerIdentity }: ProbeDatabaseDeps) {
  return async function probeDatabase(): Promise<Omit<SelfCheckResult, 'nonce'>> {
    const status = await systemProbe.probeDatabase();
    return {
      database: { serverTime: status.serverTime.toISOString(), appliedMigrations: status.appliedMigrations },
      checkedBy: workerIdentity,
    };
  };
}
