import type {
  AuditContext,
  AuditEvent,
  Repository,
  RepositoryChanges,
  ScanRequestDetails,
  ScanRequester,
  Stores,
} from '@repoguard/domain';
import { DEFAULT_RELAY_SETTINGS, RelayScanRequests } from '../scans/relay-scan-requests.use-case';
import { RequestScan } from '../scans/request-scan.use-case';
import { InMemoryScanRequestOutbox } from '../testing/in-memory-scan-request-outbox';
import type { Caller } from '../shared/caller';
import { FakeUnitOfWork, fixedClock } from '../testing/fake-unit-of-work';
import { ApplyRepositoryChange } from './apply-repository-change.use-case';
import { RequestPushScans } from './request-push-scans.use-case';

const REPO: Repository = {
  id: 'repo-1',
  orgId: 'org-b',
  provider: 'github',
  owner: 'acme',
  name: 'web',
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
const OLD_SHA = 'a'.repeat(40);
const caller: Caller = {
  scope: { orgIds: ['org-b'] },
  actor: { actorType: 'webhook', actorId: 'github:d-1', correlationId: 'd-1', ip: null },
};

/** What the stores see (the tenant filter is the adapter's: here, what the scope lets through). */
function stores() {
  const repos = new Map([[REPO.id, REPO]]);
  const outbox = new InMemoryScanRequestOutbox();
  const audited: (AuditEvent & { actor: AuditContext })[] = [];
  const repositories = {
    get: async (id: string) => repos.get(id) ?? null,
    findByExternalId: async (_p: string, id: string) =>
      [...repos.values()].filter((r) => r.externalId === id),
    update: async (id: string, changes: RepositoryChanges) => {
      const updated = { ...repos.get(id)!, ...changes };
      repos.set(id, updated);
      return updated;
    },
  };
  const all = {
    repositories,
    scanRequestOutbox: outbox,
    audit: { record: (actor: AuditContext, event: AuditEvent) => audited.push({ ...event, actor }) },
  } as unknown as Stores;
  return { all, repos, audited, outbox };
}

describe('RequestPushScans', () => {
  it("commits a request for the pushed branch, never for the body's `after` (a replay cannot roll back)", async () => {
    const sent: ScanRequestDetails[] = [];
    const requester: ScanRequester = {
      workflowIdFor: (repoId) => `repo-scan:${repoId}`,
      request: async (target, details) => {
        sent.push(details);
        return { workflowId: `repo-scan:${target.repoId}`, runId: 'run-1' };
      },
      assignment: async () => null,
    };
    const { all, outbox } = stores();
    const uow = new FakeUnitOfWork({ scanRequestOutbox: outbox });
    const relay = new RelayScanRequests(uow, requester, { ...DEFAULT_RELAY_SETTINGS, taskQueue: 'scans' });
    const requestScan = new RequestScan(uow, requester, relay, () => 'r-1');
    const outcome = await new RequestPushScans(requestScan).executeIn(all, {
      caller,
      deliveryId: 'd-1',
      push: { ref: 'refs/heads/main', after: OLD_SHA, repository: { id: 42 } },
    });
    expect(outcome).toMatchObject({
      handled: true,
      scans: [{ repo_id: 'repo-1', org_id: 'org-b', workflow_id: 'repo-scan:repo-1', request_id: 'r-1' }],
    });
    // In the delivery's unit of work only the outbox row: Temporal hears of it after the commit.
    expect(sent).toEqual([]);
    expect(outbox.rows.map((r) => r.details)).toEqual([
      expect.objectContaining({
        trigger: 'push',
        ref: 'refs/heads/main',
        deliveryId: 'd-1',
        requestId: 'r-1',
      }),
    ]);
    expect(outbox.rows[0]!.details).not.toHaveProperty('commitSha');
    await requestScan.relayAfterCommit(['r-1']);
    // Stamped with its outbox sequence, so the workflow can tell a late copy from a newer request.
    expect(sent).toEqual([{ ...outbox.rows[0]!.details, sequence: outbox.rows[0]!.sequence }]);
  });
});

describe('ApplyRepositoryChange', () => {
  const change = {
    githubId: 42,
    owner: 'victim-co',
    name: 'private-app',
    defaultBranch: 'main',
    disable: 'archived on GitHub',
  };

  it("follows a rename from the GitHub App's URL", async () => {
    const { all, repos } = stores();
    await new ApplyRepositoryChange(fixedClock('2026-12-04T12:00:00Z')).executeIn(all, {
      caller,
      change,
      githubAction: 'renamed',
    });
    expect(repos.get('repo-1')).toMatchObject({ owner: 'victim-co', name: 'private-app' });
  });

  it("keeps the name from an org's own hook, applies the rest and records what it ignored", async () => {
    const { all, repos, audited } = stores();
    await new ApplyRepositoryChange(fixedClock('2026-12-04T12:00:00Z')).executeIn(all, {
      caller,
      change,
      githubAction: 'archived',
      followRename: false,
    });
    expect(repos.get('repo-1')).toMatchObject({
      owner: 'acme',
      name: 'web',
      disabledReason: 'archived on GitHub',
      disabledAt: new Date('2026-12-04T12:00:00Z'),
    });
    expect(audited).toEqual([
      expect.objectContaining({
        action: 'repo.updated',
        orgId: 'org-b',
        metadata: expect.objectContaining({ rename_ignored: 'victim-co/private-app' }),
      }),
    ]);
  });
});
