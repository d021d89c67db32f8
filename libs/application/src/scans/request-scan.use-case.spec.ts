import {
  DomainError,
  type AuditContext,
  type AuditEvent,
  type Repository,
  type ScanRecordQueued,
  type ScanRequestDetails,
  type ScanRequester,
  type ScanRouting,
  type ScanTarget,
  type Stores,
  type UnitOfWork,
} from '@repoguard/domain';
import type { Caller } from '../shared/caller';
import { RequestScan } from './request-scan.use-case';

const REPO: Repository = {
  id: 'repo-1',
  orgId: 'org-1',
  provider: 'github',
  owner: 'acme',
  name: 'api',
  defaultBranch: 'main',
  externalId: '42',
  gitUrl: null,
  installationId: null,
  status: 'PENDING',
  lastScanAt: null,
  disabledAt: null,
  disabledReason: null,
  createdAt: new Date('2026-01-01T00:00:00Z'),
};

const CALLER: Caller = {
  scope: { orgIds: ['org-1'] },
  actor: { actorType: 'user', actorId: 'u-1', correlationId: 'req-1', ip: '10.0.0.1' },
};

/** The workflow side: records what it was sent, answers with a scan id it chose. */
class FakeScanRequester implements ScanRequester {
  readonly sent: { target: ScanTarget; request: ScanRequestDetails; routing?: ScanRouting }[] = [];
  refuse = false;
  assigned: { scanId: string; servedByThisRun: boolean } | null = { scanId: 'scan-1', servedByThisRun: true };

  async request(target: ScanTarget, request: ScanRequestDetails, routing?: ScanRouting) {
    if (this.refuse) throw new Error('connection refused');
    this.sent.push({ target, request, ...(routing ? { routing } : {}) });
    return { workflowId: `repo-scan:${target.repoId}`, runId: 'run-1' };
  }

  async assignment() {
    return this.assigned;
  }
}

/** Stores in memory, with a transaction that keeps its writes only when the work succeeds. */
class InMemoryUnitOfWork implements UnitOfWork {
  readonly repos = new Map<string, Repository>([[REPO.id, REPO]]);
  scans = new Map<string, ScanRecordQueued>();
  audit: { context: AuditContext; event: AuditEvent }[] = [];
  /** Transactions open right now: each holds a pooled database connection in production. */
  open = 0;

  async transaction<T>(_scope: unknown, work: (stores: Stores) => Promise<T>): Promise<T> {
    const scans = new Map(this.scans);
    const audit = [...this.audit];
    this.open++;
    try {
      const result = await work(this.stores(scans, audit));
      this.scans = scans;
      this.audit = audit;
      return result;
    } finally {
      this.open--;
    }
  }

  read<T>(_scope: unknown, work: (stores: Stores) => Promise<T>): Promise<T> {
    return work(this.stores(this.scans, this.audit));
  }

  private stores(scans: Map<string, ScanRecordQueued>, audit: InMemoryUnitOfWork['audit']): Stores {
    // Only the stores RequestScan uses; naming another one is a test failure.
    const used: Partial<Stores> = {
      repositories: {
        get: async (id: string) => this.repos.get(id) ?? null,
      } as unknown as Stores['repositories'],
      scans: {
        queue: async (scan: ScanRecordQueued) => {
          if (scans.has(scan.scanId)) return false;
          scans.set(scan.scanId, scan);
          return true;
        },
      } as unknown as Stores['scans'],
      audit: { record: (context, event) => audit.push({ context, event }) },
    };
    return new Proxy(used as Stores, {
      get: (target, key: string) => {
        if (!(key in target)) throw new Error(`RequestScan used the ${key} store`);
        return target[key as keyof Stores];
      },
    });
  }
}

describe('RequestScan', () => {
  it('asks Temporal with no transaction open, so a slow answer holds no database connection', async () => {
    const uow = new InMemoryUnitOfWork();
    const openWhileAsking: number[] = [];
    const requester = new FakeScanRequester();
    const request = requester.request.bind(requester);
    requester.request = (...args) => (openWhileAsking.push(uow.open), request(...args));
    requester.assignment = async () => (openWhileAsking.push(uow.open), requester.assigned);
    const useCase = new RequestScan(uow, requester, () => 'request-1');
    await useCase.execute({ caller: CALLER, repoId: REPO.id, trigger: 'api', identifyScan: true });
    expect(openWhileAsking).toEqual([0, 0]);
    expect(uow.scans.size).toBe(1);
    expect(uow.audit).toHaveLength(1);
  });

  let uow: InMemoryUnitOfWork;
  let requester: FakeScanRequester;
  let useCase: RequestScan;

  beforeEach(() => {
    uow = new InMemoryUnitOfWork();
    requester = new FakeScanRequester();
    let n = 0;
    useCase = new RequestScan(uow, requester, () => `request-${++n}`);
  });

  it('signals the workflow, queues the scan row and audits the request as the caller', async () => {
    const requested = await useCase.execute({
      caller: CALLER,
      repoId: REPO.id,
      trigger: 'api',
      ref: 'main',
      identifyScan: true,
    });
    expect(requested).toEqual({
      scanId: 'scan-1',
      workflowId: 'repo-scan:repo-1',
      runId: 'run-1',
      deduplicated: false,
    });
    expect(requester.sent).toEqual([
      {
        target: { orgId: 'org-1', repoId: 'repo-1', owner: 'acme', name: 'api' },
        request: {
          trigger: 'api',
          requestedBy: 'user:u-1',
          requestId: 'request-1',
          ref: 'main',
          correlationId: 'req-1',
        },
      },
    ]);
    expect([...uow.scans.values()]).toEqual([
      {
        scanId: 'scan-1',
        orgId: 'org-1',
        repoId: 'repo-1',
        workflowId: 'repo-scan:repo-1',
        runId: 'run-1',
        trigger: 'api',
        requestedBy: 'user:u-1',
        ref: 'main',
      },
    ]);
    expect(uow.audit).toEqual([
      {
        context: CALLER.actor,
        event: {
          orgId: 'org-1',
          action: 'scan.requested',
          targetType: 'repository',
          targetId: 'repo-1',
          metadata: {
            trigger: 'api',
            scan_id: 'scan-1',
            workflow_id: 'repo-scan:repo-1',
            run_id: 'run-1',
            ref: 'main',
          },
        },
      },
    ]);
  });

  it('leaves the row without a run when a follow-up run will serve the request', async () => {
    requester.assigned = { scanId: 'scan-2', servedByThisRun: false };
    const requested = await useCase.execute({
      caller: CALLER,
      repoId: REPO.id,
      trigger: 'api',
      identifyScan: true,
    });
    expect(uow.scans.get('scan-2')).toMatchObject({ runId: null, ref: null });
    expect(requested.runId).toBe('run-1');
  });

  it('answers deduplicated when the request joined a scan already queued', async () => {
    const first = await useCase.execute({
      caller: CALLER,
      repoId: REPO.id,
      trigger: 'api',
      identifyScan: true,
    });
    const second = await useCase.execute({
      caller: CALLER,
      repoId: REPO.id,
      trigger: 'api',
      identifyScan: true,
    });
    expect([first.deduplicated, second.deduplicated]).toEqual([false, true]);
    expect(uow.scans.size).toBe(1);
    expect(uow.audit).toHaveLength(2); // every request is audited, joined or not
  });

  it('maps a refusal by Temporal to TEMPORAL_UNAVAILABLE and records nothing', async () => {
    requester.refuse = true;
    const refused = useCase.execute({ caller: CALLER, repoId: REPO.id, trigger: 'api', identifyScan: true });
    await expect(refused).rejects.toMatchObject({ kind: 'unavailable', code: 'TEMPORAL_UNAVAILABLE' });
    await expect(refused).rejects.toBeInstanceOf(DomainError);
    expect([uow.scans.size, uow.audit.length]).toEqual([0, 0]);
  });

  it('refuses a disabled repository with REPO_DISABLED, without asking Temporal', async () => {
    uow.repos.set(REPO.id, { ...REPO, disabledAt: new Date(), disabledReason: 'archived on GitHub' });
    await expect(
      useCase.execute({ caller: CALLER, repoId: REPO.id, trigger: 'api', identifyScan: true }),
    ).rejects.toMatchObject({ kind: 'conflict', code: 'REPO_DISABLED' });
    expect([requester.sent.length, uow.scans.size, uow.audit.length]).toEqual([0, 0, 0]);
  });

  it('leaves the row to the worker when the scan is not asked for (pushes, re-matches)', async () => {
    const system: Caller = {
      scope: 'system',
      actor: { actorType: 'system', actorId: 'advisory-sync', correlationId: 'advisory-sync', ip: null },
    };
    const requested = await useCase.execute({
      caller: system,
      repoId: REPO.id,
      trigger: 'advisory',
      requestedBy: 'advisory-sync',
      snapshotId: 'snap-1',
      stepsTaskQueue: 'scans-rematch',
      routing: { taskQueue: 'scans', timing: { quietWindowMs: 1 } },
    });
    expect(requested).toEqual({
      scanId: null,
      workflowId: 'repo-scan:repo-1',
      runId: 'run-1',
      deduplicated: false,
    });
    expect(requester.sent[0]).toEqual({
      target: expect.any(Object),
      request: {
        trigger: 'advisory',
        requestedBy: 'advisory-sync',
        correlationId: 'advisory-sync',
        snapshotId: 'snap-1',
        taskQueue: 'scans-rematch',
      },
      routing: { taskQueue: 'scans', timing: { quietWindowMs: 1 } },
    });
    expect(uow.scans.size).toBe(0);
    expect(uow.audit.map((a) => [a.context.actorType, a.event.metadata?.['snapshot_id']])).toEqual([
      ['system', 'snap-1'],
    ]);
  });
});
