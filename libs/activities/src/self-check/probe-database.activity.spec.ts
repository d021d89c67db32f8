import type { SystemProbe } from '@repoguard/domain';
import { createProbeDatabaseActivity } from './probe-database.activity';

describe('probeDatabase activity', () => {
  it('reports the database time and migration count with the worker identity', async () => {
    const systemProbe: SystemProbe = {
      probeDatabase: async () => ({ serverTime: new Date('2026-01-02T03:04:05Z'), appliedMigrations: 3 }),
    };
    const probeDatabase = createProbeDatabaseActivity({ systemProbe, workerIdentity: 'worker-a' });
    await expect(probeDatabase()).resolves.toEqual({
      database: { serverTime: '2026-01-02T03:04:05.000Z', appliedMigrations: 3 },
      checkedBy: 'worker-a',
    });
  });

  it('lets a database failure propagate so the retry policy applies', async () => {
    const systemProbe: SystemProbe = {
      probeDatabase: async () => {
        throw new Error('connection refused');
      },
    };
    const probeDatabase = createProbeDatabaseActivity({ systemProbe, workerIdentity: 'w' });
    await expect(probeDatabase()).rejects.toThrow('connection refused');
  });
});
