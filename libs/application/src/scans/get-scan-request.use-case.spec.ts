import type { Stores } from '@repoguard/domain';
import type { Caller } from '../shared/caller';
import { FakeUnitOfWork } from '../testing/fake-unit-of-work';
import { InMemoryScanRequestOutbox } from '../testing/in-memory-scan-request-outbox';
import { GetScanRequest } from './get-scan-request.use-case';

const CALLER: Caller = {
  scope: { orgIds: ['org-1'] },
  actor: { actorType: 'user', actorId: 'u-1', correlationId: 'req-1', ip: '10.0.0.1' },
};

describe('GetScanRequest', () => {
  let outbox: InMemoryScanRequestOutbox;
  let useCase: GetScanRequest;

  beforeEach(async () => {
    outbox = new InMemoryScanRequestOutbox();
    // The tenant-scoped repositories: only org-1's are visible to the caller.
    const visible = new Set(['repo-1', 'repo-2']);
    const uow = new FakeUnitOfWork({
      scanRequestOutbox: outbox,
      repositories: {
        get: async (id: string) => (visible.has(id) ? { id } : null),
      } as unknown as Stores['repositories'],
    });
    useCase = new GetScanRequest(uow);
    for (const [id, repoId, orgId] of [
      ['r-1', 'repo-1', 'org-1'],
      ['r-foreign', 'repo-9', 'org-2'],
    ] as const) {
      await outbox.enqueue({
        id,
        target: { orgId, repoId, owner: 'acme', name: repoId },
        details: { trigger: 'api', requestedBy: 'user:u-1', requestId: id },
        routing: { taskQueue: 'scans' },
      });
    }
  });

  it('tells a request waiting, relayed with its scan, or given up with its last error', async () => {
    const get = () => useCase.execute({ caller: CALLER, repoId: 'repo-1', requestId: 'r-1' });
    expect(await get()).toMatchObject({ id: 'r-1', state: 'pending', attempts: 0, scanId: null });
    await outbox.reschedule('r-1', '14 UNAVAILABLE', 0);
    await outbox.markRelayed('r-1');
    await outbox.recordScan('r-1', 'scan-1');
    expect(await get()).toMatchObject({ state: 'relayed', attempts: 1, scanId: 'scan-1' });
  });

  it('finds no request of another repository or another org', async () => {
    await expect(
      useCase.execute({ caller: CALLER, repoId: 'repo-2', requestId: 'r-1' }),
    ).rejects.toMatchObject({ code: 'SCAN_REQUEST_NOT_FOUND' });
    await expect(
      useCase.execute({ caller: CALLER, repoId: 'repo-9', requestId: 'r-foreign' }),
    ).rejects.toMatchObject({ code: 'SCAN_REQUEST_NOT_FOUND' });
  });
});
