import { readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { Worker } from '@temporalio/worker';
import {
  RepoGuardCommit,
  RepoGuardOrgId,
  RepoGuardRepo,
  RepoGuardRepoId,
  RepoGuardStatus,
  RepoGuardTrigger,
} from '@repoguard/contract';
import { AdvisoryIndex, matchDependencies, parseManifest, type OsvRecord } from '@repoguard/domain';
import {
  findTemporalCli,
  FindingEntity,
  ManifestBlobEntity,
  readOsvExport,
  RepositoryEntity,
  ScanEntity,
  DependencySnapshotEntity,
} from '@repoguard/infrastructure';
import { sharedOsvExport } from '../support/shared-osv';
import { startScanHarness, type ScanHarness } from '../support/scan-harness';
import { temporalAddress, temporalNamespace, workflowBundle } from '../support/temporal-harness';

const UGLY = path.resolve(__dirname, '../fixtures/manifests/ugly');
const FILES: Record<string, string> = {
  'requirements.txt': readFileSync(path.join(UGLY, 'requirements.txt'), 'utf8'),
  'web/package-lock.json': readFileSync(path.join(UGLY, 'web/package-lock.json'), 'utf8'),
  'services/x/poetry.lock': readFileSync(path.join(UGLY, 'services/api/poetry.lock'), 'utf8'),
  // Vendored copies are someone else's manifests: never scanned.
  'web/node_modules/left-pad/package-lock.json':
    '{"lockfileVersion":3,"packages":{"node_modules/lodash":{"version":"4.17.4"}}}',
  'README.md': '# demo\n',
};

const ADVISORIES: OsvRecord[] = [
  ...readOsvExport(sharedOsvExport('PyPI-ghsa.zip')).records,
  ...readOsvExport(sharedOsvExport('npm-ghsa.zip')).records,
];

/** What the domain's matching rules select for these files: the findings a scan must persist. */
function expectedFindings(files: Record<string, string>): string[] {
  const index = new AdvisoryIndex(ADVISORIES);
  return Object.entries(files)
    .filter(([p]) => !p.includes('node_modules') && !p.endsWith('.md'))
    .flatMap(([manifestPath, text]) => {
      const { dependencies } = parseManifest(manifestPath, text);
      return matchDependencies(index, dependencies).map(
        (m) => `${manifestPath}|${m.name}@${m.version}|${m.vulnerabilityId}`,
      );
    })
    .sort();
}

async function storedFindings(harness: ScanHarness, repoId: string, status = 'open'): Promise<string[]> {
  const rows = await harness.orm.em.fork().find(FindingEntity, { repoId, status: status as 'open' });
  return rows.map((f) => `${f.manifestPath}|${f.packageName}@${f.version}|${f.vulnerabilityId}`).sort();
}

describe('the repository scan workflow, end to end', () => {
  let harness: ScanHarness;

  beforeAll(async () => {
    harness = await startScanHarness({ name: 'repo-scan-e2e', advisories: ADVISORIES });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('scans a repository: findings as the matching rules select, status by the default policy, history and search attributes in Temporal', async () => {
    const repo = await harness.github.createRepo('acme', 'payments');
    const sha = await repo.commit(FILES, 'initial import');
    const target = await harness.connectRepo('acme', 'payments');

    await harness.request(target, { trigger: 'api', requestedBy: 'user:alice' });
    const result = await harness.waitForScan(target);

    expect(result).toMatchObject({
      phase: 'COMPLETED',
      commitSha: sha,
      policyStatus: 'FAIL',
      errorCode: null,
    });
    const expected = expectedFindings(FILES);
    expect(expected.length).toBeGreaterThan(20);
    expect(await storedFindings(harness, target.repoId)).toEqual(expected);

    const em = harness.orm.em.fork();
    expect((await em.findOneOrFail(RepositoryEntity, { id: target.repoId })).status).toBe('FAIL');
    const scan = await em.findOneOrFail(ScanEntity, { id: result.scanId });
    expect(scan).toMatchObject({
      status: 'COMPLETED',
      commitSha: sha,
      trigger: 'api',
      requestedBy: 'user:alice',
    });
    expect(Object.keys(scan.phaseTimings).sort()).toEqual(['evaluate', 'fetch', 'match', 'parse', 'persist']);
    expect(scan.counts).toMatchObject({ manifests: 3, findings: expected.length });

    const handle = harness.temporal.client.workflow.getHandle(`repo-scan:${target.repoId}`);
    const history = await handle.fetchHistory();
    const activities = (history.events ?? [])
      .map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name)
      .filter((name): name is string => !!name);
    expect(activities).toEqual(['fetchManifest', 'parse', 'osvQuery', 'persist', 'evaluatePolicy']);

    const attributes = (await handle.describe()).typedSearchAttributes;
    expect({
      org: attributes.get(RepoGuardOrgId),
      repoId: attributes.get(RepoGuardRepoId),
      repo: attributes.get(RepoGuardRepo),
      trigger: attributes.get(RepoGuardTrigger),
      commit: attributes.get(RepoGuardCommit),
      status: attributes.get(RepoGuardStatus),
    }).toEqual({
      org: target.orgId,
      repoId: target.repoId,
      repo: 'acme/payments',
      trigger: 'api',
      commit: sha,
      status: 'COMPLETED',
    });

    // Determinism guard: the recorded history replays against the current workflow code.
    await expect(
      Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history),
    ).resolves.toBeUndefined();
    // `RECORD_HISTORY=path` saves it, as a *new* file under test/fixtures/histories/repo-scan/
    // (replayed by libs/workflows/src/repo-scan.workflow.replay.int-spec.ts; never overwrite one).
    if (process.env['RECORD_HISTORY']) {
      const json = execFileSync(findTemporalCli()!, [
        'workflow',
        'show',
        '--output',
        'json',
        '--address',
        temporalAddress(),
        '--namespace',
        temporalNamespace(),
        '--workflow-id',
        handle.workflowId,
        '--run-id',
        (await handle.describe()).runId,
      ]);
      writeFileSync(process.env['RECORD_HISTORY'], json);
    }

    // Scanning the same commit again reuses the snapshot and duplicates nothing.
    await harness.request(target);
    const again = await harness.waitForScan(target);
    expect(again.scanId).not.toBe(result.scanId);
    expect(await storedFindings(harness, target.repoId)).toEqual(expected);
    expect(await em.count(DependencySnapshotEntity, { repoId: target.repoId })).toBe(1);
  });

  it('marks findings fixed when the dependency is upgraded', async () => {
    const repo = await harness.github.createRepo('acme', 'upgrades');
    await repo.commit({ 'requirements.txt': 'django==3.2.0\nrequests==2.19.0\n' });
    const target = await harness.connectRepo('acme', 'upgrades');
    await harness.request(target);
    await harness.waitForScan(target);
    const before = await storedFindings(harness, target.repoId);
    expect(before.some((f) => f.includes('|requests@2.19.0|'))).toBe(true);

    await repo.commit({ 'requirements.txt': 'django==3.2.0\nrequests==2.32.3\n' });
    await harness.request(target);
    await harness.waitForScan(target);
    const after = await storedFindings(harness, target.repoId);
    expect(after.some((f) => f.includes('|requests@'))).toBe(false);
    expect(after).toEqual(before.filter((f) => f.includes('|django@')));
    const fixed = await storedFindings(harness, target.repoId, 'fixed');
    expect(fixed).toEqual(before.filter((f) => f.includes('|requests@2.19.0|')));
  });

  it('joins two requests 50 ms apart into one scan', async () => {
    const repo = await harness.github.createRepo('acme', 'burst');
    await repo.commit({ 'requirements.txt': 'flask==0.12\n' });
    const target = await harness.connectRepo('acme', 'burst');

    const first = await harness.request(target, { requestedBy: 'a' });
    await new Promise((r) => setTimeout(r, 50));
    const second = await harness.request(target, { requestedBy: 'b' });
    expect(second.runId).toBe(first.runId);
    const result = await harness.waitForScan(target);
    expect(result.requestsCoalesced).toBe(2);
    expect(await harness.orm.em.fork().count(ScanEntity, { repoId: target.repoId })).toBe(1);
  });

  it('runs exactly one follow-up scan, of the newest commit, for ten requests made during a scan', async () => {
    const repo = await harness.github.createRepo('acme', 'busy');
    await repo.commit({ 'requirements.txt': 'jinja2==2.10\n' });
    const target = await harness.connectRepo('acme', 'busy');

    harness.osv.delayNext(1, 3_000); // keeps the first scan in MATCHING while pushes arrive
    const first = await harness.request(target);
    const handle = harness.temporal.client.workflow.getHandle(first.workflowId, first.runId);
    await waitUntil(async () => (await handle.query<{ phase: string }>('status')).phase === 'MATCHING');

    const shas: string[] = [];
    for (let i = 0; i < 10; i++) {
      const sha = await repo.commit({ 'requirements.txt': `jinja2==2.10\n# push ${i}\n` }, `push ${i}`);
      shas.push(sha);
      await harness.request(target, { trigger: 'push', commitSha: sha, requestedBy: 'webhook' });
    }
    const last = await harness.waitForScan(target);
    expect(last).toMatchObject({ phase: 'COMPLETED', commitSha: shas[9], requestsCoalesced: 10 });
    const scans = await harness.orm.em
      .fork()
      .find(ScanEntity, { repoId: target.repoId }, { orderBy: { createdAt: 'asc' } });
    expect(scans.map((s) => [s.status, s.commitSha, s.trigger])).toEqual([
      ['COMPLETED', expect.any(String), 'api'],
      ['COMPLETED', shas[9], 'push'],
    ]);
  });

  it('completes when OSV answers 503 twice, then 200', async () => {
    const repo = await harness.github.createRepo('acme', 'flaky-osv');
    await repo.commit({ 'requirements.txt': 'pyyaml==5.3\n' });
    const target = await harness.connectRepo('acme', 'flaky-osv');
    harness.osv.failNext(2, 503);
    await harness.request(target);
    const result = await harness.waitForScan(target);
    expect(result.phase).toBe('COMPLETED');
    expect(await storedFindings(harness, target.repoId)).toEqual(
      expectedFindings({ 'requirements.txt': 'pyyaml==5.3\n' }),
    );
  });

  it('fails a scan with MANIFEST_TOO_LARGE on a 50 MB manifest, writing nothing half-way', async () => {
    const repo = await harness.github.createRepo('acme', 'huge');
    const huge = `#${'x'.repeat(98)}\n`.repeat(512 * 1024); // 50 MiB of comments
    await repo.commit({ 'requirements.txt': huge, 'web/package-lock.json': FILES['web/package-lock.json']! });
    const target = await harness.connectRepo('acme', 'huge');
    await harness.request(target);
    const result = await harness.waitForScan(target);
    expect(result).toMatchObject({ phase: 'FAILED', errorCode: 'MANIFEST_TOO_LARGE', policyStatus: null });

    const em = harness.orm.em.fork();
    const scan = await em.findOneOrFail(ScanEntity, { id: result.scanId });
    expect(scan).toMatchObject({ status: 'FAILED', errorCode: 'MANIFEST_TOO_LARGE' });
    expect(scan.errorMessage).toMatch(/requirements\.txt is 52428800 bytes/);
    expect(await em.count(DependencySnapshotEntity, { repoId: target.repoId })).toBe(0);
    expect(await em.count(FindingEntity, { repoId: target.repoId })).toBe(0);
    const blobRequests = harness.github.requests.filter((r: { path: string }) =>
      r.path.startsWith('/repos/acme/huge/git/blobs/'),
    );
    expect(blobRequests).toEqual([]);
    expect((await em.findOneOrFail(RepositoryEntity, { id: target.repoId })).status).toBe('ERROR');
    expect(await em.count(ManifestBlobEntity, {})).toBeGreaterThan(0); // other scans' blobs untouched
  });

  it('fails with REPO_NOT_FOUND, without retrying, when GitHub does not know the repository', async () => {
    const target = await harness.connectRepo('acme', 'vanished');
    await harness.request(target);
    const result = await harness.waitForScan(target);
    expect(result).toMatchObject({ phase: 'FAILED', errorCode: 'REPO_NOT_FOUND' });
    const history = await harness.temporal.client.workflow
      .getHandle(`repo-scan:${target.repoId}`)
      .fetchHistory();
    const started = (history.events ?? []).filter((e) => e.activityTaskStartedEventAttributes);
    expect(started[0]?.activityTaskStartedEventAttributes?.attempt).toBe(1);
  });
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
