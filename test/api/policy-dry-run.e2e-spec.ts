// POST /orgs/{org_id}/policies/dry-run over HTTP, on the real scan pipeline: what saving rules would
// do to each repository's status, the same as PUT then does, with nothing saved; refused bodies
// name their field; another org's id is a 404 like a missing one.
import { randomBytes, randomUUID } from 'node:crypto';
import type { OsvRecord } from '@repoguard/domain';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { connectRepo, connectScannedRepo, repoStatus } from '../support/connected-repos';
import { request } from '../support/http';
import { pypiAdvisory } from '../support/osv-advisories';

const RUN = randomBytes(3).toString('hex');
const ADVISORIES: OsvRecord[] = [
  pypiAdvisory(`GHSA-dryr-${RUN}-high`, 'rg-dry-high', 'HIGH'),
  pypiAdvisory(`GHSA-dryr-${RUN}-lowl`, 'rg-dry-lowl', 'LOW'),
];
// Under the default policy (fail on HIGH): `api` FAILs, `docs` is OK, `fresh` was never scanned.
const LENIENT = { schema_version: 1, fail_on_severity: 'CRITICAL', warn_on_severity: 'HIGH' };

describe('POST /orgs/{org_id}/policies/dry-run', () => {
  let stack: ApiStack;
  let org: Awaited<ReturnType<ApiStack['createOrg']>>;
  let other: Awaited<ReturnType<ApiStack['createOrg']>>;
  const ids: Record<'api' | 'docs' | 'fresh', string> = { api: '', docs: '', fresh: '' };
  const path = () => `/api/v1/orgs/${org.orgId}/policies/dry-run`;

  beforeAll(async () => {
    stack = await startApiStack({ name: 'policy-dry-run', advisories: ADVISORIES });
    [org, other] = await Promise.all([stack.createOrg('dry-run'), stack.createOrg('dry-run-other')]);
    const owner = `dryrun-${RUN}`;
    ids.api = await connectScannedRepo(stack, org, owner, 'api', {
      'requirements.txt': 'rg-dry-high==1.0\n',
    });
    ids.docs = await connectScannedRepo(stack, org, owner, 'docs', {
      'requirements.txt': 'rg-dry-lowl==1.0\n',
    });
    ids.fresh = await connectRepo(stack, org, owner, 'fresh', { 'requirements.txt': 'rg-dry-high==1.0\n' });
  });
  afterAll(async () => stack?.close());

  it('answers what saving the rules would do to each repository, changed first, and saves nothing', async () => {
    const audit = async () =>
      (await stack.call(org.ownerToken, 'GET', `/api/v1/orgs/${org.orgId}/audit-logs?per_page=100`)).body
        .items.length as number;
    const auditBefore = await audit();
    expect(await repoStatus(stack, org, ids.api)).toBe('FAIL');

    const { status, body } = await stack.call(org.ownerToken, 'POST', path(), { rules: LENIENT });
    expect(status).toBe(200);
    expect(body).toMatchObject({ rules: LENIENT, current_version: null, changed: 1 });
    const byName = Object.fromEntries(
      (body.items as { full_name: string; status: string }[]).map((item) => [
        item.full_name.split('/')[1],
        item,
      ]),
    );
    expect(body.items[0].repo_id).toBe(ids.api);
    expect(byName['api']).toMatchObject({
      current_status: 'FAIL',
      status: 'WARN',
      changed: true,
      judged: true,
      reasons: [expect.objectContaining({ rule: 'warn_on_severity', status: 'WARN' })],
      snapshot_id: expect.any(String),
    });
    expect(byName['docs']).toMatchObject({ current_status: 'OK', status: 'OK', changed: false, reasons: [] });
    expect(byName['fresh']).toMatchObject({
      current_status: 'PENDING',
      status: 'PENDING',
      judged: false,
      snapshot_id: null,
    });
    expect(body.items).toHaveLength(3);

    // Nothing saved: no version, no status changed, no audit row.
    const policies = await stack.call(org.ownerToken, 'GET', `/api/v1/orgs/${org.orgId}/policies`);
    expect(policies.body).toMatchObject({ current: { default: true, version: null }, history: [] });
    expect(await repoStatus(stack, org, ids.api)).toBe('FAIL');
    expect(await audit()).toBe(auditBefore);

    // PUT with the same body does what the dry run said.
    const put = await stack.call(org.ownerToken, 'PUT', `/api/v1/orgs/${org.orgId}/policies`, {
      rules: LENIENT,
    });
    expect(put.status).toBe(200);
    for (const name of ['api', 'docs', 'fresh'] as const) {
      expect([name, await repoStatus(stack, org, ids[name])]).toEqual([name, byName[name].status]);
    }
    const again = await stack.call(org.ownerToken, 'POST', path(), { rules: LENIENT });
    expect(again.body).toMatchObject({ current_version: put.body.version, changed: 0 });

    // And back to the default: the dry run now sees the change the other way.
    const strict = await stack.call(org.ownerToken, 'POST', path(), { rules: { fail_on_severity: 'HIGH' } });
    expect(strict.body.items[0]).toMatchObject({ repo_id: ids.api, current_status: 'WARN', status: 'FAIL' });
  });

  it('asks for the permission to save: a viewer may not dry-run (it reads every scan), nor a caller without a token', async () => {
    const key = await stack.call(org.ownerToken, 'POST', '/api/v1/auth/api-keys', {
      org_id: org.orgId,
      name: `viewer-${RUN}`,
      role: 'viewer',
    });
    expect(key.status).toBe(201);
    const viewer = await stack.call(key.body.key, 'POST', path(), { rules: {} });
    expect(viewer.status).toBe(403);
    expect(viewer.body.error.code).toBe('FORBIDDEN');
    expect((await stack.call(null, 'POST', path(), { rules: {} })).status).toBe(401);
  });

  it("answers another org's id exactly like a missing one: 404, nothing revealed", async () => {
    const foreign = await stack.call(other.ownerToken, 'POST', path(), { rules: LENIENT });
    const missingId = randomUUID();
    const missing = await stack.call(other.ownerToken, 'POST', `/api/v1/orgs/${missingId}/policies/dry-run`, {
      rules: LENIENT,
    });
    expect([foreign.status, missing.status]).toEqual([404, 404]);
    // The same answer once the ids are swapped: nothing tells the other org exists.
    const text = JSON.stringify(foreign.body);
    expect(text.split(org.orgId).join('<id>')).toBe(
      JSON.stringify(missing.body).split(missingId).join('<id>'),
    );
    expect(text).not.toContain(ids.api);
  });

  const OVER_1MB = 'x'.repeat(1_100_000);
  const DEEP = 20_000;
  it.each([
    ['no rules', { rules: undefined }, 400, 'REQUEST_INVALID', 'rules'],
    ['rules null', { rules: null }, 400, 'REQUEST_INVALID', 'rules'],
    ['an unknown top-level field', { rules: {}, save: true }, 400, 'REQUEST_INVALID', 'save'],
    ['rules a string', { rules: 'strict' }, 422, 'POLICY_INVALID', 'rules'],
    ['rules an array', { rules: [] }, 422, 'POLICY_INVALID', 'rules'],
    [
      'a severity that is none',
      { rules: { fail_on_severity: 'extreme' } },
      422,
      'POLICY_INVALID',
      'rules.fail_on_severity',
    ],
    [
      'an unknown rule',
      { rules: { allow_everything: true } },
      422,
      'POLICY_INVALID',
      'rules.allow_everything',
    ],
    [
      'an ignore without a reason',
      { rules: { ignore: [{ id: 'GHSA-x' }] } },
      422,
      'POLICY_INVALID',
      'rules.ignore[0].reason',
    ],
    [
      'a NUL byte',
      { rules: { ignore: [{ id: 'GHSA-\u0000', reason: 'y' }] } },
      400,
      'REQUEST_INVALID',
      'rules.ignore[0].id',
    ],
  ])('refuses %s, naming the field', async (_, body, status, code, field) => {
    const answer = await stack.call(org.ownerToken, 'POST', path(), body);
    expect([answer.status, answer.body.error.code]).toEqual([status, code]);
    expect(answer.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it('drops a __proto__ key, as the API does in every body, and never applies what it holds', async () => {
    const raw = '{"rules": {"__proto__": {"fail_on_severity": "LOW"}, "warn_on_severity": "HIGH"}}';
    const answer = await request(`${stack.url}${path()}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${org.ownerToken}` },
      body: raw,
    });
    expect([answer.status, answer.body.rules]).toEqual([
      200,
      { schema_version: 1, warn_on_severity: 'HIGH' },
    ]);
  });

  it.each([
    ['truncated JSON', '{"rules": ', 400],
    ['a bare number', '42', 400],
    ['an array of a valid body', '[{"rules": {}}]', 400],
    ['JSON nested 20000 levels deep', `{"rules": {}, "junk": ${'['.repeat(DEEP)}${']'.repeat(DEEP)}}`, 400],
    ['a body over 1 MB', JSON.stringify({ rules: { ignore: [{ id: 'GHSA-x', reason: OVER_1MB }] } }), 413],
  ])('refuses %s with a 4xx in the error shape, never a 5xx', async (_, raw, status) => {
    const answer = await request(`${stack.url}${path()}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${org.ownerToken}` },
      body: raw,
    });
    expect(answer.status).toBe(status);
    expect(answer.body.error).toEqual(
      expect.objectContaining({ code: expect.any(String), message: expect.any(String) }),
    );
  });

  it('refuses an org id that is not a UUID, naming org_id', async () => {
    const answer = await stack.call(org.ownerToken, 'POST', '/api/v1/orgs/xyz/policies/dry-run', {
      rules: {},
    });
    expect([answer.status, answer.body.error.details[0].field]).toEqual([400, 'org_id']);
  });
});
