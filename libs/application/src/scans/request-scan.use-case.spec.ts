import {
  scanEngineUnavailable,
  type Repository,
  type ScanRecordQueued,
  type ScanRequestDetails,
  type ScanRequester,
  type ScanRouting,
  type ScanTarget,
  type Stores,
} from '@repoguard/domain';
import type { Caller } from '../shared/caller';
import { FakeUnitOfWork } from '../testing/fake-unit-of-work';
import { InMemoryScanRequestOutbox } from '../testing/in-memory-scan-request-outbox';
import { DEFAULT_RELAY_SETTINGS, RelayScanRequests } from './relay-scan-requests.use-case';
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
  statusReevaluateAt: null,
  lastScanAt: null,
  disabledAt: null,
  disabledReason: null,
  createdAt: new Date('2026-01-01T00:00:00Z'),
};

const CALLER: Caller = {
  scope: { orgIds: ['org-1'] },
  actor: { actorType: 'user', actorId: 'u-1', correlationId: 'req-1', ip: '10.0.0.1' },
};

const SETTINGS = { ...DEFAULT_RELAY_SETTINGS, taskQueue: 'scans', skipImmediateAfterOutageMs: 5_000 };

/** The workflow side: records what it was sent (and how many transactions were open meanwhile). */
class FakeScanRequester implements ScanRequester {
  readonly sent: { target: ScanTarget; request: ScanRequestDetails; routing?: ScanRouting }[] = [];
  readonly openWhileAsking: number[] = [];
  down = false;
  assigned: { scanId: string; servedByThisRun: boolean } | null = { scanId: 'scan-1', servedByThisRun: true };

  constructor(private readonly uow: FakeUnitOfWork) {}

  workflowIdFor(repoId: string) {
    return `repo-scan:${repoId}`;
  }

  async request(target: ScanTarget, request: ScanRequestDetails, routing?: ScanRouting) {
    this.openWhileAsking.push(this.uow.open);
    if (this.down) throw scanEngineUnavailable('connection refused');
    this.sent.push({ target, request, ...(routing ? { routing } : {}) });
    return { workflowId: `repo-scan:${target.repoId}`, runId: 'run-1' };
  }

  async assignment() {
    this.openWhileAsking.push(this.uow.open);
    return this.assigned;
  }
}

describe('RequestScan', () => {
  let repos: Map<string, Repository>;
  let scans: Map<string, ScanRecordQueued>;
  let outbox: InMemoryScanRequestOutbox;
  let uow: FakeUnitOfWork;
  let requester: FakeScanRequester;
  let useCase: RequestScan;

  beforeEach(() => {
    repos = new Map([[REPO.id, REPO]]);
    scans = new Map();
    outbox = new InMemoryScanRequestOutbox();
    uow = new FakeUnitOfWork({
      repositories: { get: async (id: string) => repos.get(id) ?? null } as unknown as Stores['repositories'],
      scans: {
        queue: async (scan: ScanRecordQueued) => {
          if (scans.has(scan.scanId)) return false;
          scans.set(scan.scanId, scan);
          return true;
        },
      } as unknown as Stores['scans'],
      scanRequestOutbox: outbox,
    });
    requester = new FakeScanRequester(uow);
    let n = 0;
    const relay = new RelayScanRequests(uow, requester, SETTINGS, () => outbox.time);
    useCase = new RequestScan(uow, requester, relay, () => `request-${++n}`);
  });

  it('commits the request first, then asks Temporal with no transaction open and queues the scan row', async () => {
    const requested = await useCase.execute({
      caller: CALLER,
      repoId: REPO.id,
      trigger: 'api',
      ref: 'main',
      identifyScan: true,
    });
    expect(requested).toEqual({
      requestId: 'request-1',
      relayed: true,
      scanId: 'scan-1',
      workflowId: 'repo-scan:repo-1',
      runId: 'run-1',
      deduplicated: false,
    });
    expect(requester.openWhileAsking).toEqual([0, 0]);
    expect(requester.sent).toEqual([
      {
        target: { orgId: 'org-1', repoId: 'repo-1', owner: 'acme', name: 'api' },
        request: {
          trigger: 'api',
          requestedBy: 'user:u-1',
          requestId: 'request-1',
          ref: 'main',
          correlationId: 'req-1',
          sequence: 1,
        },
        routing: { taskQueue: 'scans' },
      },
    ]);
    // The scan serving it is kept with the request, for whoever asks about the request later.
    expect(outbox.rows).toEqual([
      expect.objectContaining({ id: 'request-1', relayedAt: 0, attempts: 0, scanId: 'scan-1' }),
    ]);
    expect([...scans.values()]).toEqual([
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
    expect(uow.audited).toEqual([
      {
        actor: CALLER.actor,
        orgId: 'org-1',
        action: 'scan.requested',
        targetType: 'repository',
        targetId: 'repo-1',
        metadata: { trigger: 'api', request_id: 'request-1', workflow_id: 'repo-scan:repo-1', ref: 'main' },
      },
    ]);
  });

  it('answers PENDING when Temporal is out of reach, keeping the request due for the relay loop', async () => {
    requester.down = true;
    const requested = await useCase.execute({
      caller: CALLER,
      repoId: REPO.id,
      trigger: 'api',
      identifyScan: true,
    });
    expect(requested).toEqual({
      requestId: 'request-1',
      relayed: false,
      scanId: null,
      workflowId: 'repo-scan:repo-1',
      runId: null,
      deduplicated: false,
    });
    // Recorded and audited, no scan row yet; due at once, the failed try counted.
    expect(outbox.rows).toEqual([
      expect.objectContaining({ id: 'request-1', relayedAt: null, nextAttemptAt: 0, attempts: 1 }),
    ]);
    expect(outbox.rows[0]!.lastError).toContain('connection refused');
    expect(uow.audited).toHaveLength(1);
    expect(scans.size).toBe(0);
  });

  it('right after an outage answers without waiting on Temporal, then tries again at once when it has passed', async () => {
    requester.down = true;
    await useCase.execute({ caller: CALLER, repoId: REPO.id, trigger: 'api' });
    expect(requester.openWhileAsking).toHaveLength(1);

    outbox.time = 4_999;
    const second = await useCase.execute({ caller: CALLER, repoId: REPO.id, trigger: 'api' });
    expect(second.relayed).toBe(false);
    expect(requester.openWhileAsking).toHaveLength(1); // not asked
    expect(outbox.rows[1]).toMatchObject({ id: 'request-2', nextAttemptAt: 4_999 }); // not held: due now

    outbox.time = 5_000;
    requester.down = false;
    const third = await useCase.execute({ caller: CALLER, repoId: REPO.id, trigger: 'api' });
    expect(third).toMatchObject({ requestId: 'request-3', relayed: true, runId: 'run-1' });
    // Held for the one who relays it at once: the loop would not have taken it meanwhile.
    expect(outbox.rows[2]).toMatchObject({ relayedAt: 5_000 });
  });

  it('holds a request it is about to relay itself, so the relay loop does not send it too', async () => {
    // Enqueued inside a caller's transaction: not relayed yet.
    const requested = await uow.transaction(CALLER.scope, (stores) =>
      useCase.executeIn(stores, { caller: CALLER, repoId: REPO.id, trigger: 'push', deliveryId: 'd-1' }),
    );
    expect(requester.sent).toHaveLength(0);
    const loop = new RelayScanRequests(uow, requester, SETTINGS, () => outbox.time);
    expect((await loop.execute()).claimed).toBe(0);

    expect(await useCase.relayAfterCommit([requested.requestId])).toEqual(new Set(['request-1']));
    expect(requester.sent.map((s) => s.request)).toEqual([
      expect.objectContaining({ trigger: 'push', requestId: 'request-1', deliveryId: 'd-1' }),
    ]);
    expect(requester.openWhileAsking).toEqual([0]);
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
    expect(scans.size).toBe(1);
    expect(uow.audited).toHaveLength(2); // every request is audited, joined or not
  });

  it('leaves the row without a run when a follow-up run will serve the request', async () => {
    requester.assigned = { scanId: 'scan-2', servedByThisRun: false };
    const requested = await useCase.execute({
      caller: CALLER,
      repoId: REPO.id,
      trigger: 'api',
      identifyScan: true,
    });
    expect(scans.get('scan-2')).toMatchObject({ runId: null, promisedByRunId: 'run-1', ref: null });
    expect(requested.runId).toBe('run-1');
  });

  it('refuses a disabled repository with REPO_DISABLED, recording and sending nothing', async () => {
    repos.set(REPO.id, { ...REPO, disabledAt: new Date(), disabledReason: 'archived on GitHub' });
    await expect(
      useCase.execute({ caller: CALLER, repoId: REPO.id, trigger: 'api', identifyScan: true }),
    ).rejects.toMatchObject({ kind: 'conflict', code: 'REPO_DISABLED' });
    expect([requester.sent.length, outbox.rows.length, scans.size, uow.audited.length]).toEqual([0, 0, 0, 0]);
  });

  it('refuses an unknown repository with REPO_NOT_FOUND', async () => {
    await expect(useCase.execute({ caller: CALLER, repoId: 'nope', trigger: 'api' })).rejects.toMatchObject({
      kind: 'not_found',
      code: 'REPO_NOT_FOUND',
    });
    expect(outbox.rows).toHaveLength(0);
  });

  it('keeps a re-match on its own routing, and leaves the scan row to the worker', async () => {
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
      routing: { taskQueue: 'scans-b', timing: { quietWindowMs: 1 } },
    });
    expect(requested).toMatchObject({ scanId: null, relayed: true, runId: 'run-1', deduplicated: false });
    expect(requester.sent[0]).toEqual({
      target: expect.any(Object),
      request: {
        trigger: 'advisory',
        requestedBy: 'advisory-sync',
        requestId: 'request-1',
        correlationId: 'advisory-sync',
        snapshotId: 'snap-1',
        taskQueue: 'scans-rematch',
        sequence: 1,
      },
      routing: { taskQueue: 'scans-b', timing: { quietWindowMs: 1 } },
    });
    expect(scans.size).toBe(0);
    expect(uow.audited.map((a) => [a.actor.actorType, a.metadata?.['snapshot_id']])).toEqual([
      ['system', 'snap-1'],
    ]);
  });
});
