// Issue 17.1 on the real stack (API process, worker, Temporal, PostgreSQL, GitHub and OSV
// stand-ins): what the API shows of a repository follows a triage decision, a policy change and a
// lapsing ignore at once, without a rescan; a withdrawn advisory closes its finding as withdrawn;
// a triage decision (who, when) outlives a fix and a return.
import { randomUUID } from 'node:crypto';
import type { OsvRecord } from '@repoguard/domain';
import { startApiStack, type ApiStack } from '../support/api-stack';

const advisory = (id: string, name: string, severity: string, extra: Partial<OsvRecord> = {}): OsvRecord => ({
  id,
  modified: '2024-01-01T00:00:00Z',
  summary: `Test advisory for ${name} < 2.0`,
  affected: [
    {
      package: { ecosystem: 'PyPI', name },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.0' }] }],
    },
  ],
  database_specific: { severity },
  ...extra,
});

// Each test reads its own packages, so the advisories of one never touch another's repository.
const ADVISORIES: OsvRecord[] = [
  advisory('GHSA-i17s-now1-high', 'i17-now-one', 'HIGH'),
  advisory('GHSA-i17s-now2-high', 'i17-now-two', 'HIGH'),
  advisory('GHSA-i17s-now3-medi', 'i17-now-three', 'MODERATE'),
  advisory('GHSA-i17s-exp1-high', 'i17-expiry-one', 'HIGH'),
  advisory('GHSA-i17s-wdr1-high', 'i17-withdrawn-one', 'HIGH'),
  advisory('GHSA-i17s-wdr2-medi', 'i17-withdrawn-two', 'MODERATE'),
  advisory('GHSA-i17s-ret1-high', 'i17-return-one', 'HIGH'),
];

interface Finding {
  id: string;
  status: string;
  severity: string;
  vulnerability: { id: string };
  dependency: { name: string; version: string };
  triage: {
    status: string;
    reason: string | null;
    expires_at: string | null;
    decided_by: { type: string; id: string | null } | null;
    decided_at: string | null;
  } | null;
  fixed_at: string | null;
}

describe('the repository state is current (issue 17.1)', () => {
  let stack: ApiStack;
  let org: Awaited<ReturnType<ApiStack['createOrg']>>;

  const api = (method: string, p: string, body?: unknown, token = org.ownerToken) =>
    stack.call(token, method, `/api/v1${p}`, body);

  /** Polls `read` until `done` holds of its answer (never a time bound on behaviour: a deadline on giving up). */
  async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const value = await read();
      if (done(value)) return value;
      if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}: ${JSON.stringify(value)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** A repository of the GitHub stand-in holding `requirements`, connected through the API. */
  async function connect(requirements: string) {
    const name = `state-${randomUUID().slice(0, 8)}`;
    const repo = await stack.harness.github.createRepo('i17', name);
    await repo.commit({ 'requirements.txt': requirements });
    const connected = await api('POST', `/orgs/${org.orgId}/repos`, { repo: `i17/${name}` });
    expect(connected.status).toBe(201);
    return { id: connected.body.id as string, commit: repo.commit.bind(repo) };
  }

  async function scan(repoId: string): Promise<void> {
    const before = (await api('GET', `/repos/${repoId}/scans`)).body.total as number;
    const requested = await api('POST', `/repos/${repoId}/scan`, {});
    expect(requested.status).toBe(202);
    const scans = await until(
      () => api('GET', `/repos/${repoId}/scans`),
      (r) =>
        r.body.total > before &&
        ['COMPLETED', 'FAILED'].includes((r.body.items as { status: string }[])[0]!.status),
      `a scan of ${repoId}`,
    );
    expect(scans.body.items[0]).toMatchObject({ status: 'COMPLETED' });
  }

  // Every status unless the query names one: the list shows open findings by default.
  const findings = async (repoId: string, query = ''): Promise<Finding[]> =>
    (
      await api(
        'GET',
        `/repos/${repoId}/findings?per_page=100${query.includes('status=') ? query : `&status=all${query}`}`,
      )
    ).body.items as Finding[];
  const repoStatus = async (repoId: string) =>
    (await api('GET', `/orgs/${org.orgId}/repos/${repoId}`)).body.status;
  const listedStatus = async (repoId: string) =>
    (
      (await api('GET', `/orgs/${org.orgId}/repos?per_page=100`)).body.items as {
        id: string;
        status: string;
      }[]
    ).find((r) => r.id === repoId)?.status;
  const evaluated = async (repoId: string) =>
    (await api('GET', `/orgs/${org.orgId}/policies/evaluation?repo_id=${repoId}`)).body.status;
  const scanCount = async (repoId: string) =>
    (await api('GET', `/repos/${repoId}/scans`)).body.total as number;

  beforeAll(async () => {
    stack = await startApiStack({
      name: 'state-is-current',
      advisories: ADVISORIES,
      // The sweep that judges repositories again once an ignore lapses, looking often.
      env: { REPO_STATUS_SWEEP_INTERVAL_MS: '200' },
    });
  });
  afterAll(async () => stack?.close());
  // An org of its own per test: a policy change in one must not judge another's repositories.
  beforeEach(async () => {
    org = await stack.createOrg('StateIsCurrent');
  });

  it('ignoring every HIGH finding changes the repository status without a rescan, as a policy change does', async () => {
    const repo = await connect('i17-now-one==1.0\ni17-now-two==1.0\ni17-now-three==1.0\n');
    await scan(repo.id);
    expect([await repoStatus(repo.id), await listedStatus(repo.id), await evaluated(repo.id)]).toEqual([
      'FAIL',
      'FAIL',
      'FAIL',
    ]);
    const scansBefore = await scanCount(repo.id);

    for (const finding of (await findings(repo.id)).filter((f) => f.severity === 'HIGH')) {
      const ignored = await api('PATCH', `/findings/${finding.id}`, {
        status: 'ignored',
        reason: 'not reachable',
      });
      expect(ignored.status).toBe(200);
    }
    // Read as soon as the last PATCH answered: the status changed in its transaction.
    expect([await repoStatus(repo.id), await listedStatus(repo.id), await evaluated(repo.id)]).toEqual([
      'WARN',
      'WARN',
      'WARN',
    ]);

    // A policy that no longer warns on MEDIUM: OK as soon as it is saved.
    const saved = await api('PUT', `/orgs/${org.orgId}/policies`, {
      rules: { fail_on_severity: 'HIGH', warn_on_severity: 'CRITICAL' },
    });
    expect(saved.status).toBe(200);
    expect([await repoStatus(repo.id), await listedStatus(repo.id), await evaluated(repo.id)]).toEqual([
      'OK',
      'OK',
      'OK',
    ]);
    // Back to the default policy's rules, and reopening one HIGH finding fails the repository again.
    const defaults = { rules: { fail_on_severity: 'HIGH', warn_on_severity: 'MEDIUM' } };
    expect((await api('PUT', `/orgs/${org.orgId}/policies`, defaults)).status).toBe(200);
    expect(await repoStatus(repo.id)).toBe('WARN');
    const high = (await findings(repo.id, '&status=ignored'))[0]!;
    expect((await api('PATCH', `/findings/${high.id}`, { status: 'open' })).status).toBe(200);
    expect([await repoStatus(repo.id), await evaluated(repo.id)]).toEqual(['FAIL', 'FAIL']);

    expect(await scanCount(repo.id)).toBe(scansBefore);
    const audit = await api('GET', `/orgs/${org.orgId}/audit-logs?action=repo.status_changed&per_page=100`);
    const changes = (
      audit.body.items as { target_id: string; metadata: { from: string; to: string; cause: string } }[]
    )
      .filter((row) => row.target_id === repo.id)
      .map((row) => `${row.metadata.from}>${row.metadata.to} ${row.metadata.cause}`)
      .reverse();
    expect(changes).toEqual([
      'FAIL>WARN finding.triaged',
      'WARN>OK policy.updated',
      'OK>WARN policy.updated',
      'WARN>FAIL finding.triaged',
    ]);
  });

  it('an ignore reopens once it expires: listed open, not ignored, and the repository fails again, before and after a rescan', async () => {
    const repo = await connect('i17-expiry-one==1.0\n');
    await scan(repo.id);
    const [finding] = await findings(repo.id);
    // Short, so the test sees it lapse; long enough to be in the future when the API reads it.
    const expiresAt = new Date(Date.now() + 6_000).toISOString();
    const ignored = await api('PATCH', `/findings/${finding!.id}`, {
      status: 'ignored',
      reason: 'accepted for a moment',
      expires_at: expiresAt,
    });
    expect(ignored.body).toMatchObject({
      status: 'ignored',
      triage: { status: 'ignored', expires_at: expiresAt },
    });
    expect(await repoStatus(repo.id)).toBe('OK');

    // Once past the expiry: open at read time, and the stored status follows (the sweep).
    await until(
      () => findings(repo.id),
      (items) => items[0]!.status === 'open',
      'the ignore to lapse',
    );
    expect(await findings(repo.id, '&status=ignored')).toEqual([]);
    expect((await findings(repo.id, '&status=open')).map((f) => f.id)).toEqual([finding!.id]);
    await until(
      () => repoStatus(repo.id),
      (status) => status === 'FAIL',
      'the repository to fail again',
    );
    expect([await listedStatus(repo.id), await evaluated(repo.id)]).toEqual(['FAIL', 'FAIL']);
    const lapsed = await api(
      'GET',
      `/orgs/${org.orgId}/audit-logs?action=finding.ignore_expired&per_page=100`,
    );
    expect(lapsed.body.items.map((row: { target_id: string }) => row.target_id)).toContain(finding!.id);

    await scan(repo.id);
    const [after] = await findings(repo.id);
    // The decision stays on record; what holds now is open.
    expect(after).toMatchObject({
      id: finding!.id,
      status: 'open',
      triage: { status: 'ignored', expires_at: expiresAt },
    });
    expect(await findings(repo.id, '&status=ignored')).toEqual([]);
    expect([await repoStatus(repo.id), await evaluated(repo.id)]).toEqual(['FAIL', 'FAIL']);
  });

  it('a withdrawn advisory closes its finding as withdrawn, not fixed', async () => {
    const repo = await connect('i17-withdrawn-one==1.0\ni17-withdrawn-two==1.0\n');
    await scan(repo.id);
    expect(await repoStatus(repo.id)).toBe('FAIL');
    const withdrawnId = 'GHSA-i17s-wdr1-high';
    stack.harness.osv.setRecords(
      ADVISORIES.map((a) =>
        a.id === withdrawnId
          ? { ...a, modified: '2024-06-01T00:00:00Z', withdrawn: '2024-06-01T00:00:00Z' }
          : a,
      ),
    );
    await scan(repo.id);

    const all = await findings(repo.id, '&status=withdrawn');
    expect(all).toEqual([
      expect.objectContaining({
        vulnerability: expect.objectContaining({ id: withdrawnId }),
        status: 'withdrawn',
      }),
    ]);
    expect(all[0]!.fixed_at).not.toBeNull();
    expect(await findings(repo.id, '&status=fixed')).toEqual([]);
    expect((await findings(repo.id, '&status=open')).map((f) => f.vulnerability.id)).toEqual([
      'GHSA-i17s-wdr2-medi',
    ]);
    expect(await repoStatus(repo.id)).toBe('WARN');
    const refused = await api('PATCH', `/findings/${all[0]!.id}`, { status: 'ignored', reason: 'x' });
    expect([refused.status, refused.body.error.code]).toEqual([409, 'FINDING_WITHDRAWN']);
  });

  it("keeps a triage decision's who and when through a fix and the finding's return", async () => {
    const repo = await connect('i17-return-one==1.0\n');
    await scan(repo.id);
    const key = await api('POST', '/auth/api-keys', { org_id: org.orgId, name: 'triage-bot', role: 'admin' });
    expect(key.status).toBe(201);
    const [finding] = await findings(repo.id);
    const asked = new Date();
    const ignored = await api(
      'PATCH',
      `/findings/${finding!.id}`,
      { status: 'ignored', reason: 'vendored, patched' },
      key.body.key,
    );
    const answered = new Date();
    expect(ignored.status).toBe(200);
    const triage = ignored.body.triage as NonNullable<Finding['triage']>;
    // An ignore is the VEX analysis not_affected, its reason the detail (issue 20).
    expect(triage).toEqual({
      status: 'ignored',
      reason: 'vendored, patched',
      state: 'not_affected',
      justification: null,
      responses: [],
      detail: 'vendored, patched',
      expires_at: null,
      decided_by: { type: 'api_key', id: key.body.id },
      decided_at: expect.any(String),
    });
    // When: while the request was being answered (one machine, one clock).
    expect(Date.parse(triage.decided_at!)).toBeGreaterThanOrEqual(asked.getTime());
    expect(Date.parse(triage.decided_at!)).toBeLessThanOrEqual(answered.getTime());

    await repo.commit({ 'requirements.txt': 'i17-return-one==2.0\n' });
    await scan(repo.id);
    expect(await findings(repo.id, '&status=fixed')).toEqual([
      expect.objectContaining({ id: finding!.id, status: 'fixed', triage }),
    ]);

    await repo.commit({ 'requirements.txt': 'i17-return-one==1.0\n' });
    await scan(repo.id);
    expect(await findings(repo.id)).toEqual([
      expect.objectContaining({ id: finding!.id, status: 'ignored', fixed_at: null, triage }),
    ]);
    expect((await findings(repo.id, '&status=ignored')).map((f) => f.id)).toEqual([finding!.id]);
    expect([await repoStatus(repo.id), await evaluated(repo.id)]).toEqual(['OK', 'OK']);
  });
});
