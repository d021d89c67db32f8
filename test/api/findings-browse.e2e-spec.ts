// Findings as a user browses them (issue 17, point 4), over HTTP on the real stack: orders, the open
// default and status=all, filters in any case, severity=unknown, counts on the repository, the
// org-wide search (by advisory id or alias, by package; never another org's), the policy verdict on
// each scan, and a disconnected repository's findings still readable.
import { randomBytes } from 'node:crypto';
import type { OsvRecord } from '@repoguard/domain';
import { startApiStack, type ApiStack } from '../support/api-stack';

const RUN = randomBytes(3).toString('hex');
const GHSA = (n: string) => `GHSA-rg${RUN.slice(0, 2)}-${RUN.slice(2)}${n}-fnd${n}`;
const CVE = `CVE-2099-${parseInt(RUN, 16)}`;

/** One advisory per package, all below 2.0.0; severity from GHSA's label (none: UNKNOWN). */
const advisory = (id: string, pkg: string, severity: string | null, aliases: string[] = []): OsvRecord => ({
  id,
  aliases,
  modified: '2026-12-01T00:00:00Z',
  summary: `${pkg} is vulnerable`,
  ...(severity ? { database_specific: { severity } } : {}),
  affected: [
    {
      package: { ecosystem: 'PyPI', name: pkg },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.0.0' }] }],
    },
  ],
});

const ADVISORIES = [
  advisory(GHSA('a'), 'rg-alpha', 'CRITICAL', [CVE]),
  advisory(GHSA('b'), 'rg-beta', 'HIGH'),
  advisory(GHSA('c'), 'rg-gamma', 'MODERATE'),
  advisory(GHSA('d'), 'rg-delta', 'LOW'),
  advisory(GHSA('e'), 'rg-epsilon', null),
  advisory(GHSA('f'), 'rg-zeta', 'HIGH'),
];

interface Finding {
  id: string;
  repo_id: string;
  status: string;
  severity: string;
  vulnerability: { id: string; aliases: string[] };
  dependency: { ecosystem: string; name: string; manifest_path: string; line: number | null };
  first_seen: string;
  repository?: { id: string; full_name: string };
}

const RANK: Record<string, number> = { CRITICAL: 4, HIGH: 3, MEDIUM: 2, LOW: 1, UNKNOWN: 0 };

describe('findings a user can browse', () => {
  let stack: ApiStack;
  let org: Awaited<ReturnType<ApiStack['createOrg']>>;
  let other: Awaited<ReturnType<ApiStack['createOrg']>>;
  let main: string; // 3 scans: alpha, beta, gamma, epsilon; then delta, zeta; then gamma removed
  let side: string; // beta and alpha, in the same org
  let foreign: string; // alpha, in another org
  const scanIds: string[] = [];

  const api = (token: string, method: string, p: string, body?: unknown) =>
    stack.call(token, method, `/api/v1${p}`, body);
  const get = async (p: string, token = org.ownerToken) => {
    const answer = await api(token, 'GET', p);
    expect([p, answer.status]).toEqual([p, 200]);
    return answer.body;
  };
  const listed = async (repoId: string, query: string): Promise<Finding[]> =>
    (await get(`/repos/${repoId}/findings?per_page=100&${query}`)).items;
  const names = (items: Finding[]) => items.map((f) => f.dependency.name);

  async function scanToEnd(token: string, repoId: string) {
    const scan = await stack.scanToEnd(token, repoId);
    expect([scan.status, scan.error]).toEqual(['COMPLETED', null]);
    return scan;
  }

  async function connected(token: string, orgId: string, owner: string, name: string, pins: string) {
    const repo = await stack.harness.github.createRepo(owner, name);
    await repo.commit({ 'requirements.txt': pins });
    const answer = await api(token, 'POST', `/orgs/${orgId}/repos`, { repo: `${owner}/${name}` });
    expect(answer.status).toBe(201);
    return { repo, id: answer.body.id as string };
  }

  beforeAll(async () => {
    stack = await startApiStack({ name: 'findings-browse', advisories: ADVISORIES });
    org = await stack.createOrg('browse');
    other = await stack.createOrg('browse-other');

    const first = await connected(
      org.ownerToken,
      org.orgId,
      `browse-${RUN}`,
      'main',
      'rg-alpha==1.0.0\nrg-beta==1.0.0\nrg-gamma==1.0.0\nrg-epsilon==1.0.0\n',
    );
    main = first.id;
    scanIds.push((await scanToEnd(org.ownerToken, main)).id);
    // Later first_seen for these two; then gamma is removed (fixed).
    await first.repo.commit({
      'requirements.txt':
        'rg-alpha==1.0.0\nrg-beta==1.0.0\nrg-gamma==1.0.0\nrg-epsilon==1.0.0\nrg-delta==1.0.0\nrg-zeta==1.0.0\n',
    });
    scanIds.push((await scanToEnd(org.ownerToken, main)).id);
    await first.repo.commit({
      'requirements.txt':
        'rg-alpha==1.0.0\nrg-beta==1.0.0\nrg-epsilon==1.0.0\nrg-delta==1.0.0\nrg-zeta==1.0.0\n',
    });
    scanIds.push((await scanToEnd(org.ownerToken, main)).id);
    // delta is ignored: neither open nor fixed.
    const delta = (await listed(main, 'status=open')).find((f) => f.dependency.name === 'rg-delta')!;
    const ignored = await api(org.ownerToken, 'PATCH', `/findings/${delta.id}`, {
      status: 'ignored',
      reason: 'not reachable',
    });
    expect(ignored.status).toBe(200);

    side = (
      await connected(org.ownerToken, org.orgId, `browse-${RUN}`, 'side', 'rg-beta==1.5.0\nrg-alpha==1.5.0\n')
    ).id;
    await scanToEnd(org.ownerToken, side);
    foreign = (await connected(other.ownerToken, other.orgId, `other-${RUN}`, 'foreign', 'rg-alpha==1.0.0\n'))
      .id;
    await scanToEnd(other.ownerToken, foreign);
  });
  afterAll(async () => stack?.close());

  it('lists open findings by default, most severe first and newest first within a severity', async () => {
    const byDefault = await listed(main, '');
    expect(byDefault.every((f) => f.status === 'open')).toBe(true);
    // zeta and beta are both HIGH: zeta, seen later, comes first.
    expect(names(byDefault)).toEqual(['rg-alpha', 'rg-zeta', 'rg-beta', 'rg-epsilon']);
    const seen = Object.fromEntries(byDefault.map((f) => [f.dependency.name, f.first_seen]));
    expect(seen['rg-zeta']! > seen['rg-beta']!).toBe(true);
    expect((await get(`/repos/${main}/findings`)).total).toBe(4);
    expect(names(await listed(main, 'sort=severity'))).toEqual(names(byDefault));
    expect(names(await listed(main, 'sort=severity:desc'))).toEqual(names(byDefault));
    expect(names(await listed(main, 'sort=severity:asc'))).toEqual([
      'rg-epsilon',
      'rg-beta',
      'rg-zeta',
      'rg-alpha',
    ]);
  });

  it('shows every status with status=all, and each status on its own', async () => {
    const all = await listed(main, 'status=all&sort=package');
    expect(all.map((f) => `${f.dependency.name}:${f.status}`)).toEqual([
      'rg-alpha:open',
      'rg-beta:open',
      'rg-delta:ignored',
      'rg-epsilon:open',
      'rg-gamma:fixed',
      'rg-zeta:open',
    ]);
    expect((await get(`/repos/${main}/findings?status=all`)).total).toBe(6);
    expect(names(await listed(main, 'status=fixed'))).toEqual(['rg-gamma']);
    expect(names(await listed(main, 'status=ignored'))).toEqual(['rg-delta']);
    expect(names(await listed(main, 'status=open&sort=package'))).toEqual([
      'rg-alpha',
      'rg-beta',
      'rg-epsilon',
      'rg-zeta',
    ]);
  });

  it('sorts by package either way and by first seen either way', async () => {
    expect(names(await listed(main, 'status=all&sort=package:desc'))).toEqual([
      'rg-zeta',
      'rg-gamma',
      'rg-epsilon',
      'rg-delta',
      'rg-beta',
      'rg-alpha',
    ]);
    const newest = await listed(main, 'status=all&sort=first_seen');
    const oldest = await listed(main, 'status=all&sort=first_seen:asc');
    const times = (items: Finding[]) => items.map((f) => f.first_seen);
    expect(times(newest)).toEqual([...times(newest)].sort().reverse());
    expect(times(oldest)).toEqual([...times(oldest)].sort());
    // The two seen at the second scan come first when newest first, last when oldest first.
    expect(names(newest.slice(0, 2)).sort()).toEqual(['rg-delta', 'rg-zeta']);
    expect(names(oldest.slice(4)).sort()).toEqual(['rg-delta', 'rg-zeta']);
  });

  it("names the manifest line of each finding's dependency, as in the snapshot it was last seen in", async () => {
    const at = (items: Finding[]) =>
      Object.fromEntries(
        items.map((f) => [f.dependency.name, `${f.dependency.manifest_path}:${f.dependency.line}`]),
      );
    // The last requirements.txt: alpha, beta, epsilon, delta, zeta; gamma (fixed) was line 3 of the one before.
    expect(at(await listed(main, 'status=all'))).toEqual({
      'rg-alpha': 'requirements.txt:1',
      'rg-beta': 'requirements.txt:2',
      'rg-epsilon': 'requirements.txt:3',
      'rg-delta': 'requirements.txt:4',
      'rg-zeta': 'requirements.txt:5',
      'rg-gamma': 'requirements.txt:3',
    });
  });

  it('reads a repository by its id alone (GET /repos/{repo_id}), as under its org; never another org’s', async () => {
    const alone = await get(`/repos/${main}`);
    expect(alone).toEqual(await get(`/orgs/${org.orgId}/repos/${main}`));
    expect(alone.org_id).toBe(org.orgId);
    expect(alone.open_findings.total).toBe(4);
    const foreignRead = await api(org.ownerToken, 'GET', `/repos/${foreign}`);
    expect([foreignRead.status, foreignRead.body.error.code]).toEqual([404, 'REPO_NOT_FOUND']);
    const malformed = await api(org.ownerToken, 'GET', '/repos/not-a-uuid');
    expect(malformed.status).toBe(400);
  });

  it('refuses an unknown sort with a 400 naming sort and the allowed values', async () => {
    for (const [route, sort] of [
      [`/repos/${main}/findings`, 'cvss'],
      [`/repos/${main}/findings`, 'severity:up'],
      [`/repos/${main}/findings`, 'package:'],
      [`/orgs/${org.orgId}/findings`, 'newest'],
    ]) {
      const answer = await api(org.ownerToken, 'GET', `${route}?sort=${sort}`);
      expect(answer.status).toBe(400);
      expect(answer.body.error.details).toEqual([
        { field: 'sort', problem: expect.stringContaining('severity, severity:asc, severity:desc, package') },
      ]);
    }
  });

  it('filters ecosystem and package in any case', async () => {
    expect(names(await listed(main, 'ecosystem=pypi'))).toEqual(names(await listed(main, 'ecosystem=PyPI')));
    expect(await listed(main, 'ecosystem=PYPI')).toHaveLength(4);
    expect(await listed(main, 'ecosystem=NPM')).toEqual([]);
    expect(names(await listed(main, 'package=RG-Beta'))).toEqual(['rg-beta']);
    expect(names(await listed(main, 'package=rg-beta'))).toEqual(['rg-beta']);
  });

  it('reads severity=unknown as exactly UNKNOWN, and the others as that severity and above', async () => {
    expect(names(await listed(main, 'severity=unknown'))).toEqual(['rg-epsilon']);
    const all = await listed(main, 'status=all');
    expect(all.filter((f) => f.severity === 'UNKNOWN').length).toBeLessThan(all.length);
    expect((await listed(main, 'status=all&severity=unknown')).map((f) => f.severity)).toEqual(['UNKNOWN']);
    expect(names(await listed(main, 'severity=UNKNOWN'))).toEqual(['rg-epsilon']);
    for (const threshold of ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW']) {
      const expected = all.filter((f) => f.severity !== 'UNKNOWN' && RANK[f.severity]! >= RANK[threshold]!);
      const answer = await listed(main, `status=all&severity=${threshold.toLowerCase()}`);
      expect([threshold, names(answer).sort()]).toEqual([threshold, names(expected).sort()]);
    }
  });

  it("counts each repository's open findings by severity, on the repository and in the list", async () => {
    const expected = { critical: 1, high: 2, medium: 0, low: 0, unknown: 1, total: 4 };
    expect((await get(`/orgs/${org.orgId}/repos/${main}`)).open_findings).toEqual(expected);
    const page = await get(`/orgs/${org.orgId}/repos`);
    const counts = Object.fromEntries(
      page.items.map((r: { id: string; open_findings: unknown }) => [r.id, r.open_findings]),
    );
    expect(counts).toEqual({
      [main]: expected,
      [side]: { critical: 1, high: 1, medium: 0, low: 0, unknown: 0, total: 2 },
    });
  });

  it("searches the org's findings by advisory id or alias, and by package, never another org's", async () => {
    const search = async (query: string, token = org.ownerToken, orgId = org.orgId) =>
      (await get(`/orgs/${orgId}/findings?${query}`, token)) as {
        items: Finding[];
        total: number;
      };
    const repos = (items: Finding[]) => items.map((f) => f.repository!.id).sort();

    const byAlias = await search(`advisory=${CVE}`);
    expect(repos(byAlias.items)).toEqual([main, side].sort());
    expect(byAlias.items.map((f) => f.vulnerability.id)).toEqual([GHSA('a'), GHSA('a')]);
    expect(byAlias.items.map((f) => f.repository!.full_name).sort()).toEqual([
      `browse-${RUN}/main`,
      `browse-${RUN}/side`,
    ]);
    expect(repos((await search(`advisory=${GHSA('a')}`)).items)).toEqual(repos(byAlias.items));
    expect(repos((await search('package=RG-BETA')).items)).toEqual([main, side].sort());
    expect(repos((await search(`package=rg-beta&advisory=${CVE}`)).items)).toEqual([]);
    expect((await search('advisory=CVE-1999-0000')).items).toEqual([]);
    expect(repos((await search(`advisory=${GHSA('d')}&status=all`)).items)).toEqual([main]);
    const page = await search(`advisory=${CVE}&per_page=1&page=2`);
    expect([page.total, page.items.length]).toEqual([2, 1]);

    // The other org holds the same advisory: its owner finds only its own repository.
    const theirs = await search(`advisory=${CVE}`, other.ownerToken, other.orgId);
    expect(repos(theirs.items)).toEqual([foreign]);
    const everything = await search('status=all');
    expect(everything.items.some((f) => f.repo_id === foreign)).toBe(false);
    // Nor can either org search the other's.
    expect((await api(other.ownerToken, 'GET', `/orgs/${org.orgId}/findings?advisory=${CVE}`)).status).toBe(
      404,
    );
    expect((await api(org.ownerToken, 'GET', `/orgs/${other.orgId}/findings`)).status).toBe(404);
  });

  it("carries the policy verdict stored for each scan on the scan's answer and in the scan list", async () => {
    const scan = await get(`/scans/${scanIds[0]}`);
    // The default policy fails on HIGH and above.
    expect(scan.verdict).toEqual({
      status: 'FAIL',
      policy_version: null,
      reasons: expect.arrayContaining([
        expect.objectContaining({ rule: 'fail_on_severity', status: 'FAIL' }),
      ]),
      evaluated_at: expect.any(String),
    });
    const history = await get(`/repos/${main}/scans`);
    expect(history.items.map((s: { id: string }) => s.id).sort()).toEqual([...scanIds].sort());
    for (const item of history.items as { id: string; verdict: { status: string } | null }[]) {
      expect([item.id, item.verdict?.status]).toEqual([item.id, 'FAIL']);
    }

    // A policy that only warns: the next scan's verdict says so, the earlier ones keep theirs.
    const saved = await api(org.ownerToken, 'PUT', `/orgs/${org.orgId}/policies`, {
      rules: { schema_version: 1, warn_on_severity: 'LOW' },
    });
    expect(saved.status).toBe(200);
    const rescanned = await scanToEnd(org.ownerToken, side);
    expect((await get(`/scans/${rescanned.id}`)).verdict).toMatchObject({
      status: 'WARN',
      policy_version: 1,
    });
    expect((await get(`/scans/${scanIds[0]}`)).verdict).toMatchObject({
      status: 'FAIL',
      policy_version: null,
    });
  });

  it("keeps a disconnected repository's findings readable; a purge removes them", async () => {
    const before = await listed(side, 'status=open');
    expect(before.length).toBe(2);
    expect((await api(org.ownerToken, 'DELETE', `/orgs/${org.orgId}/repos/${side}`)).status).toBe(204);
    expect((await api(org.ownerToken, 'GET', `/orgs/${org.orgId}/repos/${side}`)).status).toBe(404);

    const after = await listed(side, 'status=open');
    expect(after.map((f) => f.id).sort()).toEqual(before.map((f) => f.id).sort());
    expect(names(await listed(side, 'package=RG-ALPHA'))).toEqual(['rg-alpha']);
    // Still tenant-scoped, and no longer among the org's repositories.
    expect((await api(other.ownerToken, 'GET', `/repos/${side}/findings`)).status).toBe(404);
    const search = await get(`/orgs/${org.orgId}/findings?advisory=${CVE}`);
    expect(search.items.map((f: Finding) => f.repo_id)).toEqual([main]);

    // A purged repository has nothing left to read.
    expect((await api(org.ownerToken, 'DELETE', `/orgs/${org.orgId}/repos/${main}?purge=true`)).status).toBe(
      204,
    );
    const purged = await api(org.ownerToken, 'GET', `/repos/${main}/findings`);
    expect([purged.status, purged.body.error.code]).toEqual([404, 'REPO_NOT_FOUND']);
  });
});
