// Malformed requests against every route: each must be refused with the precise 4xx and the error
// body `{ error: { code, message, details } }`, never a 5xx. Valid ids exist (an org, a scanned repo
// with a finding and a snapshot) so that each case fails on the one thing it gets wrong.
import { randomUUID } from 'node:crypto';
import type { OsvRecord } from '@repoguard/domain';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { request, type JsonResponse } from '../support/http';

/** The ids a case's path or body may name, filled in by beforeAll. */
interface Ids {
  readonly org: string;
  readonly owner: string;
  readonly ownerToken: string;
  /** Connected and scanned: it has a snapshot and a finding. */
  readonly repo: string;
  readonly repoName: string;
  /** Connected, never scanned: the target of the destructive routes' cases. */
  readonly spare: string;
  readonly scan: string;
  readonly snapshot: string;
  readonly finding: string;
}

interface BadInputCase {
  readonly name: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Relative to /api/v1; `{org}`, `{repo}`... are replaced by the ids of the same name. */
  readonly path: string;
  /** Sent as JSON. */
  readonly body?: unknown | ((ids: Ids) => unknown);
  /** Sent as it is (malformed JSON, oversized bodies). */
  readonly raw?: string | Buffer;
  /** Default: the owner's personal token. */
  readonly auth?: 'owner' | 'admin' | 'none' | ((ids: Ids) => string);
  readonly headers?: Record<string, string>;
  readonly status: 400 | 401 | 404 | 409 | 413 | 415 | 422;
  /** The error code; when absent, any string. */
  readonly code?: string;
  /** `details` must name this field. */
  readonly field?: string;
}

const MISSING = '7d0a3f5e-2b1c-4e8f-9a6d-0c4b2e1f3a59';
const NIL_UUID = '00000000-0000-0000-0000-000000000000';
const OVER_1MB = 'x'.repeat(1024 * 1024 + 16);
const PAST = '2001-01-01T00:00:00Z';
const FUTURE = '2099-01-01T00:00:00Z';
const base64url = (text: string) => Buffer.from(text).toString('base64url');

// A hand-written advisory so the scan leaves one finding to triage.
const DJANGO_ADVISORY: OsvRecord = {
  id: 'GHSA-badi-nput-0001',
  modified: '2024-01-01T00:00:00Z',
  summary: 'Test advisory for django < 2.0',
  affected: [
    {
      package: { ecosystem: 'PyPI', name: 'django' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.0' }] }],
    },
  ],
  database_specific: { severity: 'HIGH' },
};

const invalid = (field: string) => ({ status: 400, code: 'REQUEST_INVALID', field }) as const;
const policyInvalid = (field: string) => ({ status: 422, code: 'POLICY_INVALID', field }) as const;
const malformedJson = { status: 400, code: 'MALFORMED_JSON' } as const;
const unsupportedType = { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', field: 'content-type' } as const;
const tooLarge = { status: 413, code: 'PAYLOAD_TOO_LARGE' } as const;
const tokenInvalid = { status: 401, code: 'TOKEN_INVALID' } as const;
const unauthenticated = { status: 401, code: 'UNAUTHENTICATED' } as const;
const repoRefInvalid = { status: 422, code: 'REPO_REF_INVALID', field: 'repo' } as const;
const orgBody = (overrides: Record<string, unknown>) => ({
  name: 'Bad Input',
  slug: `bad-input-${randomUUID().slice(0, 8)}`,
  owner_email: 'owner@example.test',
  ...overrides,
});
const keyBody = (overrides: Record<string, unknown>) => (ids: Ids) => ({
  org_id: ids.org,
  name: 'ci',
  role: 'viewer',
  ...overrides,
});
const triage = (overrides: Record<string, unknown>) => ({
  status: 'ignored',
  reason: 'not used',
  ...overrides,
});

const AUTH_CASES: BadInputCase[] = [
  { name: 'no Authorization header', method: 'GET', path: '/orgs/me', auth: 'none', ...unauthenticated },
  {
    name: 'Authorization "Bearer" without a token',
    method: 'GET',
    path: '/orgs/me',
    auth: 'none',
    headers: { authorization: 'Bearer ' },
    ...unauthenticated,
  },
  {
    name: 'Basic credentials instead of a bearer token',
    method: 'GET',
    path: '/orgs/me',
    auth: 'none',
    headers: { authorization: 'Basic dXNlcjpwYXNz' },
    ...unauthenticated,
  },
  {
    name: 'two words after Bearer',
    method: 'GET',
    path: '/orgs/me',
    auth: 'none',
    headers: { authorization: 'Bearer rg_pat_a rg_pat_b' },
    ...unauthenticated,
  },
  {
    name: 'unknown personal token',
    method: 'GET',
    path: '/orgs/me',
    auth: () => `rg_pat_${randomUUID().replace(/-/g, '')}`,
    ...tokenInvalid,
  },
  {
    name: 'unknown API key',
    method: 'GET',
    path: '/orgs/me',
    auth: () => `rg_key_${randomUUID().replace(/-/g, '')}`,
    ...tokenInvalid,
  },
  {
    name: 'an invitation-prefixed token used as a bearer token',
    method: 'GET',
    path: '/orgs/me',
    auth: () => `rg_inv_${randomUUID().replace(/-/g, '')}`,
    ...tokenInvalid,
  },
  {
    name: 'a token with a foreign prefix (ghp_)',
    method: 'GET',
    path: '/orgs/me',
    auth: () => `ghp_${randomUUID().replace(/-/g, '')}`,
    ...tokenInvalid,
  },
  { name: 'a bare prefix rg_pat_', method: 'GET', path: '/orgs/me', auth: () => 'rg_pat_', ...tokenInvalid },
  {
    name: "the owner's token with the API key prefix",
    method: 'GET',
    path: '/orgs/me',
    auth: (ids) => ids.ownerToken.replace(/^rg_pat_/, 'rg_key_'),
    ...tokenInvalid,
  },
  {
    name: "the owner's token with the prefix upper-cased",
    method: 'GET',
    path: '/orgs/me',
    auth: (ids) => ids.ownerToken.replace(/^rg_pat_/, 'RG_PAT_'),
    ...tokenInvalid,
  },
  {
    name: "the owner's token with a character appended",
    method: 'GET',
    path: '/orgs/me',
    auth: (ids) => `${ids.ownerToken}x`,
    ...tokenInvalid,
  },
  {
    name: "the owner's token without its last character",
    method: 'GET',
    path: `/orgs/{org}/repos`,
    auth: (ids) => ids.ownerToken.slice(0, -1),
    ...tokenInvalid,
  },
  {
    name: 'a token in the query string instead of the header',
    method: 'GET',
    path: '/orgs/me?access_token={ownerToken}',
    auth: 'none',
    ...unauthenticated,
  },
  {
    name: 'a token in the JSON body instead of the header',
    method: 'POST',
    path: '/orgs/{org}/repos',
    auth: 'none',
    body: (ids: Ids) => ({ repo: 'acme/does-not-exist', access_token: ids.ownerToken }),
    ...unauthenticated,
  },
  {
    name: 'no token on POST /orgs',
    method: 'POST',
    path: '/orgs',
    auth: 'none',
    body: orgBody({}),
    ...unauthenticated,
  },
  {
    name: 'no token and an invalid body: authentication comes first',
    method: 'POST',
    path: '/orgs/{org}/repos',
    auth: 'none',
    body: { bogus: true },
    ...unauthenticated,
  },
  {
    name: 'unknown token on PATCH /findings/{id}',
    method: 'PATCH',
    path: '/findings/{finding}',
    auth: () => `rg_pat_${'0'.repeat(40)}`,
    body: triage({}),
    ...tokenInvalid,
  },
  {
    name: 'a SQL-ish bearer token',
    method: 'GET',
    path: '/orgs/me',
    auth: () => "rg_pat_'OR'1'='1'--",
    ...tokenInvalid,
  },
  {
    name: 'a SQL-ish bearer header with spaces (not one token)',
    method: 'GET',
    path: '/orgs/me',
    auth: () => "rg_pat_' OR '1'='1",
    ...unauthenticated,
  },
];

const PATH_CASES: BadInputCase[] = [
  { name: 'org_id not a UUID (repos)', method: 'GET', path: '/orgs/not-a-uuid/repos', ...invalid('org_id') },
  { name: 'org_id a number (PATCH org)', method: 'PATCH', path: '/orgs/123', body: {}, ...invalid('org_id') },
  { name: '"me" as org_id in PATCH', method: 'PATCH', path: '/orgs/me', body: {}, ...invalid('org_id') },
  { name: 'org_id not a UUID (members)', method: 'GET', path: '/orgs/xyz/members', ...invalid('org_id') },
  {
    name: 'org_id not a UUID (invite)',
    method: 'POST',
    path: '/orgs/xyz/invite',
    body: { email: 'a@example.test', role: 'viewer' },
    ...invalid('org_id'),
  },
  { name: 'org_id not a UUID (policies)', method: 'GET', path: '/orgs/xyz/policies', ...invalid('org_id') },
  {
    name: 'org_id not a UUID (PUT policies)',
    method: 'PUT',
    path: '/orgs/xyz/policies',
    body: { rules: {} },
    ...invalid('org_id'),
  },
  { name: 'org_id not a UUID (audit logs)', method: 'GET', path: '/orgs/1/audit-logs', ...invalid('org_id') },
  {
    name: 'org_id with a trailing character',
    method: 'GET',
    path: `/orgs/${MISSING}0/repos`,
    ...invalid('org_id'),
  },
  {
    name: 'repo_id not a UUID (GET repo)',
    method: 'GET',
    path: '/orgs/{org}/repos/abc',
    ...invalid('repo_id'),
  },
  {
    name: 'repo_id not a UUID (DELETE repo)',
    method: 'DELETE',
    path: '/orgs/{org}/repos/abc',
    ...invalid('repo_id'),
  },
  {
    name: 'repo_id not a UUID (scan)',
    method: 'POST',
    path: '/repos/abc/scan',
    body: {},
    ...invalid('repo_id'),
  },
  { name: 'repo_id not a UUID (scans)', method: 'GET', path: '/repos/abc/scans', ...invalid('repo_id') },
  {
    name: 'repo_id not a UUID (findings)',
    method: 'GET',
    path: '/repos/abc/findings',
    ...invalid('repo_id'),
  },
  {
    name: 'repo_id not a UUID (snapshot)',
    method: 'GET',
    path: '/repos/abc/snapshots/{snapshot}',
    ...invalid('repo_id'),
  },
  { name: 'scan_id not a UUID', method: 'GET', path: '/scans/latest', ...invalid('scan_id') },
  {
    name: 'finding_id not a UUID',
    method: 'PATCH',
    path: '/findings/42',
    body: triage({}),
    ...invalid('finding_id'),
  },
  {
    name: 'snapshot_id not a UUID',
    method: 'GET',
    path: '/repos/{repo}/snapshots/head',
    ...invalid('snapshot_id'),
  },
  {
    name: 'user_id not a UUID (PATCH member)',
    method: 'PATCH',
    path: '/orgs/{org}/members/alice',
    body: { role: 'viewer' },
    ...invalid('user_id'),
  },
  {
    name: 'user_id not a UUID (DELETE member)',
    method: 'DELETE',
    path: '/orgs/{org}/members/alice',
    ...invalid('user_id'),
  },
  { name: 'key_id not a UUID', method: 'DELETE', path: '/auth/api-keys/ci-key', ...invalid('key_id') },
  {
    name: 'path traversal as scan_id',
    method: 'GET',
    path: '/scans/..%2F..%2Fetc%2Fpasswd',
    ...invalid('scan_id'),
  },
  {
    name: 'path traversal as repo_id',
    method: 'GET',
    path: '/repos/..%2F..%2Forgs/findings',
    ...invalid('repo_id'),
  },
  {
    name: 'SQL-ish scan_id',
    method: 'GET',
    path: `/scans/${encodeURIComponent("1' OR '1'='1")}`,
    ...invalid('scan_id'),
  },
  {
    name: 'SQL-ish finding_id',
    method: 'PATCH',
    path: `/findings/${encodeURIComponent('1; DROP TABLE findings;--')}`,
    body: triage({}),
    ...invalid('finding_id'),
  },
  { name: 'NUL byte as scan_id', method: 'GET', path: '/scans/%00', ...invalid('scan_id') },
  {
    name: '5000-character scan_id',
    method: 'GET',
    path: `/scans/${'a'.repeat(5000)}`,
    ...invalid('scan_id'),
  },
  {
    name: 'unicode lookalike of a UUID as scan_id',
    method: 'GET',
    path: `/scans/${encodeURIComponent(MISSING.replace(/-/g, '\u2010'))}`,
    ...invalid('scan_id'),
  },
];

const NOT_FOUND_CASES: BadInputCase[] = [
  { name: 'unknown route', method: 'GET', path: '/no-such-thing', status: 404, code: 'NOT_FOUND' },
  {
    name: 'unknown method on a known path',
    method: 'PUT',
    path: '/orgs/me',
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: 'an org the caller is not in',
    method: 'GET',
    path: `/orgs/${MISSING}/repos`,
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: 'unknown repo id',
    method: 'GET',
    path: `/orgs/{org}/repos/${MISSING}`,
    status: 404,
    code: 'REPO_NOT_FOUND',
  },
  {
    name: "a real repo under another org's path",
    method: 'GET',
    path: `/orgs/${MISSING}/repos/{repo}`,
    status: 404,
    code: 'REPO_NOT_FOUND',
  },
  {
    name: 'scan of an unknown repo',
    method: 'POST',
    path: `/repos/${MISSING}/scan`,
    body: {},
    status: 404,
    code: 'REPO_NOT_FOUND',
  },
  { name: 'unknown scan id', method: 'GET', path: `/scans/${MISSING}`, status: 404, code: 'SCAN_NOT_FOUND' },
  {
    name: 'the nil UUID as scan id',
    method: 'GET',
    path: `/scans/${NIL_UUID}`,
    status: 404,
    code: 'SCAN_NOT_FOUND',
  },
  {
    name: 'unknown finding id',
    method: 'PATCH',
    path: `/findings/${MISSING}`,
    body: triage({}),
    status: 404,
    code: 'FINDING_NOT_FOUND',
  },
  {
    name: 'unknown snapshot id',
    method: 'GET',
    path: `/repos/{repo}/snapshots/${MISSING}`,
    status: 404,
    code: 'SNAPSHOT_NOT_FOUND',
  },
  {
    name: "a real snapshot under another repo's path",
    method: 'GET',
    path: '/repos/{spare}/snapshots/{snapshot}',
    status: 404,
    code: 'SNAPSHOT_NOT_FOUND',
  },
  {
    name: 'unknown API key id',
    method: 'DELETE',
    path: `/auth/api-keys/${MISSING}`,
    status: 404,
    code: 'API_KEY_NOT_FOUND',
  },
  {
    name: 'unknown member (PATCH)',
    method: 'PATCH',
    path: `/orgs/{org}/members/${MISSING}`,
    body: { role: 'viewer' },
    status: 404,
    code: 'MEMBER_NOT_FOUND',
  },
  {
    name: 'unknown member (DELETE)',
    method: 'DELETE',
    path: `/orgs/{org}/members/${MISSING}`,
    status: 404,
    code: 'MEMBER_NOT_FOUND',
  },
  {
    name: 'unknown invitation token',
    method: 'POST',
    path: `/invites/rg_inv_${'a'.repeat(40)}/accept`,
    auth: 'none',
    status: 404,
    code: 'INVITATION_NOT_FOUND',
  },
  {
    name: 'invitation "token" without the invitation prefix',
    method: 'POST',
    path: '/invites/..%2F..%2Fadmin/accept',
    auth: 'none',
    status: 404,
    code: 'INVITATION_NOT_FOUND',
  },
  {
    name: 'API keys of an org the caller is not in',
    method: 'GET',
    path: `/auth/api-keys?org_id=${MISSING}`,
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: 'policy evaluation of an unknown repo',
    method: 'GET',
    path: `/orgs/{org}/policies/evaluation?repo_id=${MISSING}`,
    status: 404,
    code: 'REPO_NOT_FOUND',
  },
];

const PAGINATION_CASES: BadInputCase[] = [
  { name: 'page=0', method: 'GET', path: '/orgs/{org}/repos?page=0', ...invalid('page') },
  { name: 'per_page=1000', method: 'GET', path: '/orgs/{org}/repos?per_page=1000', ...invalid('per_page') },
  { name: 'page=abc', method: 'GET', path: '/orgs/{org}/repos?page=abc', ...invalid('page') },
  { name: 'per_page=-1', method: 'GET', path: '/orgs/{org}/repos?per_page=-1', ...invalid('per_page') },
  { name: 'page=1.5', method: 'GET', path: '/orgs/{org}/repos?page=1.5', ...invalid('page') },
  { name: 'per_page=0', method: 'GET', path: '/orgs/{org}/repos?per_page=0', ...invalid('per_page') },
  { name: 'page=100001', method: 'GET', path: '/orgs/{org}/repos?page=100001', ...invalid('page') },
  { name: 'page empty', method: 'GET', path: '/orgs/{org}/repos?page=', ...invalid('page') },
  {
    name: 'page=1e400 (Infinity)',
    method: 'GET',
    path: '/orgs/{org}/repos?page=1e400',
    ...invalid('page'),
  },
  {
    name: 'page a 30-digit number',
    method: 'GET',
    path: `/orgs/{org}/repos?page=${'9'.repeat(30)}`,
    ...invalid('page'),
  },
  { name: 'page given twice', method: 'GET', path: '/orgs/{org}/repos?page=1&page=2', ...invalid('page') },
  // Express 5 reads query strings flat: `page[]` is a parameter of its own, and unknown.
  {
    name: 'page as a bracketed array',
    method: 'GET',
    path: '/orgs/{org}/repos?page[]=1',
    ...invalid('page[]'),
  },
  {
    name: 'scans per_page=1000',
    method: 'GET',
    path: '/repos/{repo}/scans?per_page=1000',
    ...invalid('per_page'),
  },
  { name: 'scans page=-3', method: 'GET', path: '/repos/{repo}/scans?page=-3', ...invalid('page') },
  { name: 'findings page=abc', method: 'GET', path: '/repos/{repo}/findings?page=abc', ...invalid('page') },
  {
    name: 'findings per_page=2.5',
    method: 'GET',
    path: '/repos/{repo}/findings?per_page=2.5',
    ...invalid('per_page'),
  },
  {
    name: 'snapshot page=0',
    method: 'GET',
    path: '/repos/{repo}/snapshots/{snapshot}?page=0',
    ...invalid('page'),
  },
  {
    name: 'snapshot per_page=101',
    method: 'GET',
    path: '/repos/{repo}/snapshots/{snapshot}?per_page=101',
    ...invalid('per_page'),
  },
  {
    name: 'audit per_page=101',
    method: 'GET',
    path: '/orgs/{org}/audit-logs?per_page=101',
    ...invalid('per_page'),
  },
  {
    name: 'audit per_page=abc',
    method: 'GET',
    path: '/orgs/{org}/audit-logs?per_page=abc',
    ...invalid('per_page'),
  },
  {
    name: 'audit page (it pages by cursor)',
    method: 'GET',
    path: '/orgs/{org}/audit-logs?page=2',
    ...invalid('page'),
  },
];

const QUERY_CASES: BadInputCase[] = [
  {
    name: 'severity=extreme',
    method: 'GET',
    path: '/repos/{repo}/findings?severity=extreme',
    ...invalid('severity'),
  },
  {
    name: 'finding status=bogus',
    method: 'GET',
    path: '/repos/{repo}/findings?status=bogus',
    ...invalid('status'),
  },
  {
    name: 'ecosystem=cobol',
    method: 'GET',
    path: '/repos/{repo}/findings?ecosystem=cobol',
    ...invalid('ecosystem'),
  },
  {
    name: 'package of 301 characters',
    method: 'GET',
    path: `/repos/{repo}/findings?package=${'p'.repeat(301)}`,
    ...invalid('package'),
  },
  {
    name: 'unknown findings filter',
    method: 'GET',
    path: '/repos/{repo}/findings?cvss_min=9',
    ...invalid('cvss_min'),
  },
  {
    name: 'SQL-ish severity',
    method: 'GET',
    path: `/repos/{repo}/findings?severity=${encodeURIComponent("high' OR 1=1--")}`,
    ...invalid('severity'),
  },
  { name: 'repo status=bogus', method: 'GET', path: '/orgs/{org}/repos?status=bogus', ...invalid('status') },
  { name: 'unknown repos filter', method: 'GET', path: '/orgs/{org}/repos?sort=name', ...invalid('sort') },

  {
    name: 'audit action=bogus',
    method: 'GET',
    path: '/orgs/{org}/audit-logs?action=bogus',
    ...invalid('action'),
  },
  {
    name: 'audit since=yesterday',
    method: 'GET',
    path: '/orgs/{org}/audit-logs?since=yesterday',
    ...invalid('since'),
  },
  {
    name: 'audit until with month 13',
    method: 'GET',
    path: '/orgs/{org}/audit-logs?until=2024-13-45',
    ...invalid('until'),
  },
  {
    name: 'audit since on February 30th',
    method: 'GET',
    path: '/orgs/{org}/audit-logs?since=2024-02-30T00:00:00Z',
    ...invalid('since'),
  },
  {
    name: 'audit since in fullwidth digits',
    method: 'GET',
    path: `/orgs/{org}/audit-logs?since=${encodeURIComponent('２０２４-01-01')}`,
    ...invalid('since'),
  },
  {
    name: 'audit actor_id of 101 characters',
    method: 'GET',
    path: `/orgs/{org}/audit-logs?actor_id=${'a'.repeat(101)}`,
    ...invalid('actor_id'),
  },
  {
    name: 'audit cursor that is not base64 of a cursor',
    method: 'GET',
    path: '/orgs/{org}/audit-logs?cursor=garbage',
    ...invalid('cursor'),
  },
  {
    name: 'audit cursor with a bad date',
    method: 'GET',
    path: `/orgs/{org}/audit-logs?cursor=${base64url(`not-a-date|${MISSING}`)}`,
    ...invalid('cursor'),
  },
  {
    name: 'audit cursor with a SQL-ish id',
    method: 'GET',
    path: `/orgs/{org}/audit-logs?cursor=${base64url("2024-01-01T00:00:00Z|' OR 1=1--")}`,
    ...invalid('cursor'),
  },
  {
    name: 'audit cursor of 201 characters',
    method: 'GET',
    path: `/orgs/{org}/audit-logs?cursor=${'c'.repeat(201)}`,
    ...invalid('cursor'),
  },
  {
    name: 'purge=maybe',
    method: 'DELETE',
    path: '/orgs/{org}/repos/{spare}?purge=maybe',
    ...invalid('purge'),
  },
  {
    name: 'unknown flag on DELETE repo',
    method: 'DELETE',
    path: '/orgs/{org}/repos/{spare}?force=true',
    ...invalid('force'),
  },
  { name: 'api keys without org_id', method: 'GET', path: '/auth/api-keys', ...invalid('org_id') },
  {
    name: 'api keys org_id not a UUID',
    method: 'GET',
    path: '/auth/api-keys?org_id=acme',
    ...invalid('org_id'),
  },
  {
    name: 'api keys unknown query field',
    method: 'GET',
    path: '/auth/api-keys?org_id={org}&include_secrets=true',
    ...invalid('include_secrets'),
  },
  {
    name: 'evaluation without repo_id',
    method: 'GET',
    path: '/orgs/{org}/policies/evaluation',
    ...invalid('repo_id'),
  },
  {
    name: 'evaluation repo_id not a UUID',
    method: 'GET',
    path: '/orgs/{org}/policies/evaluation?repo_id=acme%2Fweb',
    ...invalid('repo_id'),
  },
  {
    name: 'evaluation repo_id given twice',
    method: 'GET',
    path: '/orgs/{org}/policies/evaluation?repo_id={repo}&repo_id={spare}',
    ...invalid('repo_id'),
  },
  {
    name: 'evaluation unknown query field',
    method: 'GET',
    path: '/orgs/{org}/policies/evaluation?repo_id={repo}&verbose=1',
    ...invalid('verbose'),
  },
  {
    name: 'evaluation rules that are not JSON',
    method: 'GET',
    path: '/orgs/{org}/policies/evaluation?repo_id={repo}&rules=%7Bnope',
    ...invalid('rules'),
  },
  {
    name: 'evaluation rules of one character',
    method: 'GET',
    path: '/orgs/{org}/policies/evaluation?repo_id={repo}&rules=1',
    ...invalid('rules'),
  },
  {
    name: 'evaluation rules with an invalid rule (dry run)',
    method: 'GET',
    path: `/orgs/{org}/policies/evaluation?repo_id={repo}&rules=${encodeURIComponent('{"fail_on_severity":"extreme"}')}`,
    ...policyInvalid('rules.fail_on_severity'),
  },
];

const ORG_BODY_CASES: BadInputCase[] = [
  {
    name: 'create org with an empty body',
    method: 'POST',
    path: '/orgs',
    auth: 'admin',
    body: {},
    ...invalid('slug'),
  },
  {
    name: 'create org name a number',
    method: 'POST',
    path: '/orgs',
    auth: 'admin',
    body: orgBody({ name: 123 }),
    ...invalid('name'),
  },
  {
    name: 'create org name empty',
    method: 'POST',
    path: '/orgs',
    auth: 'admin',
    body: orgBody({ name: '' }),
    ...invalid('name'),
  },
  {
    name: 'create org name of 201 characters',
    method: 'POST',
    path: '/orgs',
    auth: 'admin',
    body: orgBody({ name: 'n'.repeat(201) }),
    ...invalid('name'),
  },
  {
    name: 'create org name with a NUL byte',
    method: 'POST',
    path: '/orgs',
    auth: 'admin',
    body: orgBody({ name: 'evil\u0000name' }),
    ...invalid('name'),
  },
  {
    name: 'create org slug with upper case and a space',
    method: 'POST',
    path: '/orgs',
    auth: 'admin',
    body: orgBody({ slug: 'Bad Slug' }),
    ...invalid('slug'),
  },
  {
    name: 'create org slug with a leading hyphen',
    method: 'POST',
    path: '/orgs',
    auth: 'admin',
    body: orgBody({ slug: '-acme' }),
    ...invalid('slug'),
  },
  {
    name: 'create org slug of 65 characters',
    method: 'POST',
    path: '/orgs',
    auth: 'admin',
    body: orgBody({ slug: 's'.repeat(65) }),
    ...invalid('slug'),
  },
  {
    name: 'create org slug with an emoji',
    method: 'POST',
    path: '/orgs',
    auth: 'admin',
    body: orgBody({ slug: 'acme-🚀' }),
    ...invalid('slug'),
  },
  {
    name: 'create org SQL-ish slug',
    method: 'POST',
    path: '/orgs',
    auth: 'admin',
    body: orgBody({ slug: "acme'; DROP TABLE organizations;--" }),
    ...invalid('slug'),
  },
  {
    name: 'create org slug with path traversal',
    method: 'POST',
    path: '/orgs',
    auth: 'admin',
    body: orgBody({ slug: '../../admin' }),
    ...invalid('slug'),
  },
  {
    name: 'create org owner_email not an email',
    method: 'POST',
    path: '/orgs',
    auth: 'admin',
    body: orgBody({ owner_email: 'not-an-email' }),
    ...invalid('owner_email'),
  },
  {
    name: 'create org owner_email an array',
    method: 'POST',
    path: '/orgs',
    auth: 'admin',
    body: orgBody({ owner_email: ['a@example.test'] }),
    ...invalid('owner_email'),
  },
  {
    name: 'create org unknown field',
    method: 'POST',
    path: '/orgs',
    auth: 'admin',
    body: orgBody({ plan: 'enterprise' }),
    ...invalid('plan'),
  },
  {
    name: 'update org name empty',
    method: 'PATCH',
    path: '/orgs/{org}',
    body: { name: '' },
    ...invalid('name'),
  },
  {
    name: 'update org name an array',
    method: 'PATCH',
    path: '/orgs/{org}',
    body: { name: ['a'] },
    ...invalid('name'),
  },
  {
    name: 'update org name with a NUL byte',
    method: 'PATCH',
    path: '/orgs/{org}',
    body: { name: 'a\u0000b' },
    ...invalid('name'),
  },
  {
    name: 'update org rate limit a string',
    method: 'PATCH',
    path: '/orgs/{org}',
    body: { rate_limit_per_minute: 'fast' },
    ...invalid('rate_limit_per_minute'),
  },
  {
    name: 'update org rate limit 0',
    method: 'PATCH',
    path: '/orgs/{org}',
    body: { rate_limit_per_minute: 0 },
    ...invalid('rate_limit_per_minute'),
  },
  {
    name: 'update org rate limit 1.5',
    method: 'PATCH',
    path: '/orgs/{org}',
    body: { rate_limit_per_minute: 1.5 },
    ...invalid('rate_limit_per_minute'),
  },
  {
    name: 'update org rate limit 1e308',
    method: 'PATCH',
    path: '/orgs/{org}',
    body: { rate_limit_per_minute: 1e308 },
    ...invalid('rate_limit_per_minute'),
  },
  {
    name: 'update org rate limit beyond 2^53',
    method: 'PATCH',
    path: '/orgs/{org}',
    raw: '{"rate_limit_per_minute": 90071992547409930000}',
    ...invalid('rate_limit_per_minute'),
  },
  {
    name: 'update org slug (not updatable)',
    method: 'PATCH',
    path: '/orgs/{org}',
    body: { slug: 'other' },
    ...invalid('slug'),
  },
  {
    name: 'update org id in the body',
    method: 'PATCH',
    path: '/orgs/{org}',
    body: { id: MISSING, name: 'x' },
    ...invalid('id'),
  },
  // The ValidationPipe drops __proto__, prototype and constructor keys; the fields beside them
  // must still be validated.
  {
    name: 'update org with a __proto__ key beside an invalid field',
    method: 'PATCH',
    path: '/orgs/{org}',
    raw: '{"__proto__": {"name": "polluted"}, "rate_limit_per_minute": "fast"}',
    ...invalid('rate_limit_per_minute'),
  },
  {
    name: 'update org with a constructor key beside an invalid field',
    method: 'PATCH',
    path: '/orgs/{org}',
    raw: '{"constructor": {"prototype": {"name": "x"}}, "name": ""}',
    ...invalid('name'),
  },
];

const MEMBER_BODY_CASES: BadInputCase[] = [
  {
    name: 'invite with an empty body',
    method: 'POST',
    path: '/orgs/{org}/invite',
    body: {},
    ...invalid('email'),
  },
  {
    name: 'invite email not an email',
    method: 'POST',
    path: '/orgs/{org}/invite',
    body: { email: 'bob', role: 'viewer' },
    ...invalid('email'),
  },
  {
    name: 'invite email of 330 characters',
    method: 'POST',
    path: '/orgs/{org}/invite',
    body: {
      email: `${'b'.repeat(64)}@${'d'.repeat(60)}.${'e'.repeat(60)}.${'f'.repeat(60)}.${'g'.repeat(60)}.test`,
      role: 'viewer',
    },
    ...invalid('email'),
  },
  {
    name: 'invite role superuser',
    method: 'POST',
    path: '/orgs/{org}/invite',
    body: { email: 'bob@example.test', role: 'superuser' },
    ...invalid('role'),
  },
  {
    name: 'invite role in upper case',
    method: 'POST',
    path: '/orgs/{org}/invite',
    body: { email: 'bob@example.test', role: 'ADMIN' },
    ...invalid('role'),
  },
  {
    name: 'invite with an org_id field',
    method: 'POST',
    path: '/orgs/{org}/invite',
    body: { email: 'bob@example.test', role: 'viewer', org_id: MISSING },
    ...invalid('org_id'),
  },
  {
    name: 'change role to god',
    method: 'PATCH',
    path: '/orgs/{org}/members/{owner}',
    body: { role: 'god' },
    ...invalid('role'),
  },
  {
    name: 'change role without a role',
    method: 'PATCH',
    path: '/orgs/{org}/members/{owner}',
    body: {},
    ...invalid('role'),
  },
  {
    name: 'change role given as a number',
    method: 'PATCH',
    path: '/orgs/{org}/members/{owner}',
    body: { role: 1 },
    ...invalid('role'),
  },
];

const API_KEY_BODY_CASES: BadInputCase[] = [
  {
    name: 'create API key with an empty body',
    method: 'POST',
    path: '/auth/api-keys',
    body: {},
    ...invalid('org_id'),
  },
  {
    name: 'create API key org_id not a UUID',
    method: 'POST',
    path: '/auth/api-keys',
    body: { org_id: 'acme', name: 'ci', role: 'viewer' },
    ...invalid('org_id'),
  },
  {
    name: 'create API key org_id a number',
    method: 'POST',
    path: '/auth/api-keys',
    body: { org_id: 123, name: 'ci', role: 'viewer' },
    ...invalid('org_id'),
  },
  {
    name: 'create API key in an org the caller is not in',
    method: 'POST',
    path: '/auth/api-keys',
    body: { org_id: MISSING, name: 'ci', role: 'viewer' },
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: 'create API key name empty',
    method: 'POST',
    path: '/auth/api-keys',
    body: keyBody({ name: '' }),
    ...invalid('name'),
  },
  {
    name: 'create API key name of 101 characters',
    method: 'POST',
    path: '/auth/api-keys',
    body: keyBody({ name: 'k'.repeat(101) }),
    ...invalid('name'),
  },
  {
    name: 'create API key name with a NUL byte',
    method: 'POST',
    path: '/auth/api-keys',
    body: keyBody({ name: 'ci\u0000' }),
    ...invalid('name'),
  },
  {
    name: 'create API key role root',
    method: 'POST',
    path: '/auth/api-keys',
    body: keyBody({ role: 'root' }),
    ...invalid('role'),
  },
  {
    name: 'create API key without a role',
    method: 'POST',
    path: '/auth/api-keys',
    body: keyBody({ role: undefined }),
    ...invalid('role'),
  },
  {
    name: 'create API key expires_at "tomorrow"',
    method: 'POST',
    path: '/auth/api-keys',
    body: keyBody({ expires_at: 'tomorrow' }),
    ...invalid('expires_at'),
  },
  {
    name: 'create API key expires_at a number',
    method: 'POST',
    path: '/auth/api-keys',
    body: keyBody({ expires_at: 1700000000 }),
    ...invalid('expires_at'),
  },
  {
    name: 'create API key expires_at in the past',
    method: 'POST',
    path: '/auth/api-keys',
    body: keyBody({ expires_at: PAST }),
    status: 422,
    code: 'VALIDATION_FAILED',
    field: 'expires_at',
  },
  {
    name: 'create API key unknown field',
    method: 'POST',
    path: '/auth/api-keys',
    body: keyBody({ scopes: ['repos.read'] }),
    ...invalid('scopes'),
  },
];

const REPO_BODY_CASES: BadInputCase[] = [
  {
    name: 'connect repo with an empty body',
    method: 'POST',
    path: '/orgs/{org}/repos',
    body: {},
    ...invalid('repo'),
  },
  {
    name: 'connect repo a number',
    method: 'POST',
    path: '/orgs/{org}/repos',
    body: { repo: 42 },
    ...invalid('repo'),
  },
  {
    name: 'connect repo an array',
    method: 'POST',
    path: '/orgs/{org}/repos',
    body: { repo: ['acme/web'] },
    ...invalid('repo'),
  },
  {
    name: 'connect repo null',
    method: 'POST',
    path: '/orgs/{org}/repos',
    body: { repo: null },
    ...invalid('repo'),
  },
  {
    name: 'connect repo of 2 characters',
    method: 'POST',
    path: '/orgs/{org}/repos',
    body: { repo: 'a/' },
    ...invalid('repo'),
  },
  {
    name: 'connect repo of 301 characters',
    method: 'POST',
    path: '/orgs/{org}/repos',
    body: { repo: `acme/${'r'.repeat(296)}` },
    ...invalid('repo'),
  },
  {
    name: 'connect repo with an unknown field',
    method: 'POST',
    path: '/orgs/{org}/repos',
    body: (ids: Ids) => ({ repo: `acme/${ids.repoName}`, branch: 'main' }),
    ...invalid('branch'),
  },
  {
    name: 'connect repo without a slash',
    method: 'POST',
    path: '/orgs/{org}/repos',
    body: { repo: 'no-slash' },
    ...repoRefInvalid,
  },
  {
    name: 'connect repo on GitLab',
    method: 'POST',
    path: '/orgs/{org}/repos',
    body: { repo: 'https://gitlab.com/acme/web' },
    ...repoRefInvalid,
  },
  {
    name: 'connect repo by path traversal',
    method: 'POST',
    path: '/orgs/{org}/repos',
    body: { repo: '../../etc/passwd' },
    ...repoRefInvalid,
  },
  {
    name: 'connect repo with SQL in the name',
    method: 'POST',
    path: '/orgs/{org}/repos',
    body: { repo: "acme/x'; DROP TABLE repositories;--" },
    ...repoRefInvalid,
  },
  {
    name: 'connect repo with a NUL byte',
    method: 'POST',
    path: '/orgs/{org}/repos',
    body: { repo: 'acme/web\u0000' },
    ...invalid('repo'),
  },
  {
    name: 'connect repo with a non-ASCII owner',
    method: 'POST',
    path: '/orgs/{org}/repos',
    body: { repo: 'ácme/web' },
    ...repoRefInvalid,
  },
  {
    name: 'connect repo with a right-to-left override',
    method: 'POST',
    path: '/orgs/{org}/repos',
    body: { repo: 'acme/\u202Ebew' },
    ...repoRefInvalid,
  },
  {
    name: 'connect repo URL without a name',
    method: 'POST',
    path: '/orgs/{org}/repos',
    body: { repo: 'https://github.com/acme' },
    ...repoRefInvalid,
  },
  {
    name: 'connect a repo GitHub does not have',
    method: 'POST',
    path: '/orgs/{org}/repos',
    body: { repo: 'acme/does-not-exist' },
    status: 422,
    code: 'REPO_NOT_FOUND',
    field: 'repo',
  },
  {
    name: 'connect a repo already connected',
    method: 'POST',
    path: '/orgs/{org}/repos',
    body: (ids: Ids) => ({ repo: `acme/${ids.repoName}` }),
    status: 409,
    code: 'REPO_ALREADY_CONNECTED',
    field: 'repo',
  },
];

const SCAN_BODY_CASES: BadInputCase[] = [
  {
    name: 'scan ref with ".."',
    method: 'POST',
    path: '/repos/{repo}/scan',
    body: { ref: 'main..dev' },
    ...invalid('ref'),
  },
  {
    name: 'scan ref starting with "-"',
    method: 'POST',
    path: '/repos/{repo}/scan',
    body: { ref: '-rf' },
    ...invalid('ref'),
  },
  {
    name: 'scan ref with "~"',
    method: 'POST',
    path: '/repos/{repo}/scan',
    body: { ref: 'main~1' },
    ...invalid('ref'),
  },
  {
    name: 'scan ref ending with "/"',
    method: 'POST',
    path: '/repos/{repo}/scan',
    body: { ref: 'feature/' },
    ...invalid('ref'),
  },
  {
    name: 'scan ref ending with "."',
    method: 'POST',
    path: '/repos/{repo}/scan',
    body: { ref: 'v1.' },
    ...invalid('ref'),
  },
  {
    name: 'scan ref with a space',
    method: 'POST',
    path: '/repos/{repo}/scan',
    body: { ref: 'my branch' },
    ...invalid('ref'),
  },
  {
    name: 'scan ref with "//"',
    method: 'POST',
    path: '/repos/{repo}/scan',
    body: { ref: 'refs//heads' },
    ...invalid('ref'),
  },
  {
    name: 'scan ref with a bell character',
    method: 'POST',
    path: '/repos/{repo}/scan',
    body: { ref: 'a\u0007b' },
    ...invalid('ref'),
  },
  {
    name: 'scan ref with a glob',
    method: 'POST',
    path: '/repos/{repo}/scan',
    body: { ref: 'release/*' },
    ...invalid('ref'),
  },
  {
    name: 'scan ref with "@{"',
    method: 'POST',
    path: '/repos/{repo}/scan',
    body: { ref: 'HEAD@{1}' },
    ...invalid('ref'),
  },
  {
    name: 'scan ref ending with ".lock"',
    method: 'POST',
    path: '/repos/{repo}/scan',
    body: { ref: 'main.lock' },
    ...invalid('ref'),
  },
  {
    name: 'scan ref empty',
    method: 'POST',
    path: '/repos/{repo}/scan',
    body: { ref: '' },
    ...invalid('ref'),
  },
  {
    name: 'scan ref of 256 characters',
    method: 'POST',
    path: '/repos/{repo}/scan',
    body: { ref: 'r'.repeat(256) },
    ...invalid('ref'),
  },
  {
    name: 'scan ref a number',
    method: 'POST',
    path: '/repos/{repo}/scan',
    body: { ref: 123 },
    ...invalid('ref'),
  },
  {
    name: 'scan ref an object',
    method: 'POST',
    path: '/repos/{repo}/scan',
    body: { ref: { branch: 'main' } },
    ...invalid('ref'),
  },
  {
    name: 'scan with an unknown field',
    method: 'POST',
    path: '/repos/{repo}/scan',
    body: { branch: 'main' },
    ...invalid('branch'),
  },
];

const FINDING_BODY_CASES: BadInputCase[] = [
  {
    name: 'triage with an empty body',
    method: 'PATCH',
    path: '/findings/{finding}',
    body: {},
    ...invalid('status'),
  },
  {
    name: 'triage status fixed',
    method: 'PATCH',
    path: '/findings/{finding}',
    body: triage({ status: 'fixed' }),
    ...invalid('status'),
  },
  {
    name: 'triage status null',
    method: 'PATCH',
    path: '/findings/{finding}',
    body: triage({ status: null }),
    ...invalid('status'),
  },
  {
    name: 'triage state null',
    method: 'PATCH',
    path: '/findings/{finding}',
    body: { state: null },
    ...invalid('state'),
  },
  {
    name: 'ignore without a reason',
    method: 'PATCH',
    path: '/findings/{finding}',
    body: { status: 'ignored' },
    ...invalid('reason'),
  },
  {
    name: 'ignore with an empty reason',
    method: 'PATCH',
    path: '/findings/{finding}',
    body: triage({ reason: '' }),
    ...invalid('reason'),
  },
  {
    name: 'ignore with a numeric reason',
    method: 'PATCH',
    path: '/findings/{finding}',
    body: triage({ reason: 42 }),
    ...invalid('reason'),
  },
  {
    name: 'ignore with a reason of 1001 characters',
    method: 'PATCH',
    path: '/findings/{finding}',
    body: triage({ reason: 'r'.repeat(1001) }),
    ...invalid('reason'),
  },
  {
    name: 'ignore with a reason holding a NUL byte',
    method: 'PATCH',
    path: '/findings/{finding}',
    body: triage({ reason: 'false positive\u0000' }),
    ...invalid('reason'),
  },
  {
    name: 'ignore with expires_at "later"',
    method: 'PATCH',
    path: '/findings/{finding}',
    body: triage({ expires_at: 'later' }),
    ...invalid('expires_at'),
  },
  {
    name: 'ignore with expires_at in the past',
    method: 'PATCH',
    path: '/findings/{finding}',
    body: triage({ expires_at: PAST }),
    status: 422,
    code: 'VALIDATION_FAILED',
    field: 'expires_at',
  },
  {
    name: 'triage with a severity field',
    method: 'PATCH',
    path: '/findings/{finding}',
    body: triage({ severity: 'LOW', expires_at: FUTURE }),
    ...invalid('severity'),
  },
];

const POLICY_BODY_CASES: BadInputCase[] = [
  {
    name: 'policy without rules',
    method: 'PUT',
    path: '/orgs/{org}/policies',
    body: {},
    ...invalid('rules'),
  },
  {
    name: 'policy rules null',
    method: 'PUT',
    path: '/orgs/{org}/policies',
    body: { rules: null },
    ...invalid('rules'),
  },
  {
    name: 'policy with an unknown top-level field',
    method: 'PUT',
    path: '/orgs/{org}/policies',
    body: { rules: {}, comment: 'x' },
    ...invalid('comment'),
  },
  {
    name: 'policy rules a string',
    method: 'PUT',
    path: '/orgs/{org}/policies',
    body: { rules: 'strict' },
    ...policyInvalid('rules'),
  },
  {
    name: 'policy rules an array',
    method: 'PUT',
    path: '/orgs/{org}/policies',
    body: { rules: [] },
    ...policyInvalid('rules'),
  },
  {
    name: 'policy fail_on_severity extreme',
    method: 'PUT',
    path: '/orgs/{org}/policies',
    body: { rules: { fail_on_severity: 'extreme' } },
    ...policyInvalid('rules.fail_on_severity'),
  },
  {
    name: 'policy warn_on_severity UNKNOWN',
    method: 'PUT',
    path: '/orgs/{org}/policies',
    body: { rules: { warn_on_severity: 'UNKNOWN' } },
    ...policyInvalid('rules.warn_on_severity'),
  },
  {
    name: 'policy schema_version 2',
    method: 'PUT',
    path: '/orgs/{org}/policies',
    body: { rules: { schema_version: 2 } },
    ...policyInvalid('rules.schema_version'),
  },
  {
    name: 'policy fail_on_unpinned "yes"',
    method: 'PUT',
    path: '/orgs/{org}/policies',
    body: { rules: { fail_on_unpinned: 'yes' } },
    ...policyInvalid('rules.fail_on_unpinned'),
  },
  {
    name: 'policy unknown rule',
    method: 'PUT',
    path: '/orgs/{org}/policies',
    body: { rules: { allow_everything: true } },
    ...policyInvalid('rules.allow_everything'),
  },
  {
    name: 'policy fail_on_vulnerability_ids with a number',
    method: 'PUT',
    path: '/orgs/{org}/policies',
    body: { rules: { fail_on_vulnerability_ids: [1, 'GHSA-x'] } },
    ...policyInvalid('rules.fail_on_vulnerability_ids[0]'),
  },
  {
    name: 'policy ignore not an array',
    method: 'PUT',
    path: '/orgs/{org}/policies',
    body: { rules: { ignore: 'all' } },
    ...policyInvalid('rules.ignore'),
  },
  {
    name: 'policy ignore entry without a reason',
    method: 'PUT',
    path: '/orgs/{org}/policies',
    body: { rules: { ignore: [{ id: 'GHSA-x' }] } },
    ...policyInvalid('rules.ignore[0].reason'),
  },
  {
    name: 'policy ignore entry expires_at "never"',
    method: 'PUT',
    path: '/orgs/{org}/policies',
    body: { rules: { ignore: [{ id: 'GHSA-x', reason: 'y', expires_at: 'never' }] } },
    ...policyInvalid('rules.ignore[0].expires_at'),
  },
  {
    name: 'policy ignore entry with a NUL byte in its id',
    method: 'PUT',
    path: '/orgs/{org}/policies',
    body: { rules: { ignore: [{ id: 'GHSA-\u0000', reason: 'y' }] } },
    // Refused at the edge, like a NUL in any field: PostgreSQL could not store it.
    ...invalid('rules.ignore[0].id'),
  },
  {
    name: 'policy max_findings with max -1',
    method: 'PUT',
    path: '/orgs/{org}/policies',
    body: { rules: { max_findings: [{ severity: 'HIGH', max: -1, action: 'warn' }] } },
    ...policyInvalid('rules.max_findings[0].max'),
  },
  {
    name: 'policy max_findings with action explode',
    method: 'PUT',
    path: '/orgs/{org}/policies',
    body: { rules: { max_findings: [{ severity: 'HIGH', max: 1, action: 'explode' }] } },
    ...policyInvalid('rules.max_findings[0].action'),
  },
  {
    name: 'policy max_findings entry null',
    method: 'PUT',
    path: '/orgs/{org}/policies',
    body: { rules: { max_findings: [null] } },
    ...policyInvalid('rules.max_findings[0].severity'),
  },
  {
    name: 'policy max_findings with max 1e400 (Infinity)',
    method: 'PUT',
    path: '/orgs/{org}/policies',
    raw: '{"rules": {"max_findings": [{"severity": "HIGH", "max": 1e400, "action": "fail"}]}}',
    ...policyInvalid('rules.max_findings[0].max'),
  },
];

// Depth that a recursive walk over the body would not survive, well under 1 MB.
const DEEP = 20_000;

const ENCODING_CASES: BadInputCase[] = [
  { name: 'truncated JSON', method: 'POST', path: '/orgs/{org}/repos', raw: '{"repo": ', ...malformedJson },
  {
    name: 'single-quoted JSON',
    method: 'POST',
    path: '/orgs/{org}/repos',
    raw: "{'repo': 'acme/web'}",
    ...malformedJson,
  },
  {
    name: 'JSON with a trailing comma',
    method: 'POST',
    path: '/orgs/{org}/repos',
    raw: '{"repo": "acme/web",}',
    ...malformedJson,
  },
  {
    name: 'JSON with NaN',
    method: 'PATCH',
    path: '/orgs/{org}',
    raw: '{"rate_limit_per_minute": NaN}',
    ...malformedJson,
  },
  { name: 'JSON body null', method: 'POST', path: '/orgs/{org}/repos', raw: 'null', ...malformedJson },
  {
    name: 'JSON body a string',
    method: 'POST',
    path: '/orgs/{org}/repos',
    raw: '"acme/web"',
    ...malformedJson,
  },
  { name: 'JSON body a number', method: 'PUT', path: '/orgs/{org}/policies', raw: '42', ...malformedJson },
  { name: 'JSON body true', method: 'PATCH', path: '/findings/{finding}', raw: 'true', ...malformedJson },
  {
    name: 'JSON body an empty array',
    method: 'POST',
    path: '/orgs/{org}/repos',
    raw: '[]',
    ...invalid('repo'),
  },
  {
    name: 'JSON body an array of a valid body',
    method: 'POST',
    path: '/orgs/{org}/repos',
    raw: '[{"repo": "acme/does-not-exist"}]',
    ...invalid('repo'),
  },
  {
    name: 'JSON body an array (policies)',
    method: 'PUT',
    path: '/orgs/{org}/policies',
    raw: '[{"rules": {}}]',
    ...invalid('rules'),
  },
  {
    name: 'plain text body',
    method: 'PATCH',
    path: '/findings/{finding}',
    raw: 'status=ignored',
    ...malformedJson,
  },
  {
    name: 'JSON nested 20000 levels deep',
    method: 'POST',
    path: '/orgs/{org}/repos',
    raw: `{"repo": "acme/does-not-exist", "junk": ${'['.repeat(DEEP)}${']'.repeat(DEEP)}}`,
    // Refused either by a depth limit or by naming `junk`: the status is the contract.
    status: 400,
  },
  {
    name: 'body over 1 MB (repo)',
    method: 'POST',
    path: '/orgs/{org}/repos',
    raw: JSON.stringify({ repo: OVER_1MB }),
    ...tooLarge,
  },
  {
    name: 'body over 1 MB (policy)',
    method: 'PUT',
    path: '/orgs/{org}/policies',
    raw: JSON.stringify({ rules: { ignore: [{ id: 'GHSA-x', reason: OVER_1MB }] } }),
    ...tooLarge,
  },
  {
    name: 'body over 1 MB (triage)',
    method: 'PATCH',
    path: '/findings/{finding}',
    raw: JSON.stringify(triage({ reason: OVER_1MB })),
    ...tooLarge,
  },
  {
    name: 'body over 1 MB (create org)',
    method: 'POST',
    path: '/orgs',
    auth: 'admin',
    raw: JSON.stringify(orgBody({ name: OVER_1MB })),
    ...tooLarge,
  },
  {
    name: 'JSON sent as text/plain',
    method: 'POST',
    path: '/orgs/{org}/repos',
    raw: '{"repo": "acme/does-not-exist"}',
    headers: { 'content-type': 'text/plain' },
    ...unsupportedType,
  },
  {
    name: 'JSON sent as application/xml',
    method: 'PUT',
    path: '/orgs/{org}/policies',
    raw: '{"rules": {}}',
    headers: { 'content-type': 'application/xml' },
    ...unsupportedType,
  },
  {
    name: 'a form-encoded body',
    method: 'PATCH',
    path: '/findings/{finding}',
    raw: 'status=ignored&reason=later',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    ...unsupportedType,
  },
  {
    name: 'JSON in latin1',
    method: 'POST',
    path: '/orgs/{org}/repos',
    raw: '{"repo": "acme/does-not-exist"}',
    headers: { 'content-type': 'application/json; charset=latin1' },
    status: 415,
    code: 'UNSUPPORTED_CHARSET',
  },
  {
    name: 'an unknown content encoding',
    method: 'POST',
    path: '/orgs/{org}/repos',
    raw: '{"repo": "acme/does-not-exist"}',
    headers: { 'content-encoding': 'x-rot13' },
    status: 415,
    code: 'UNSUPPORTED_ENCODING',
  },
  {
    name: 'gzip announced, plain JSON sent',
    method: 'POST',
    path: '/orgs/{org}/repos',
    raw: '{"repo": "acme/does-not-exist"}',
    headers: { 'content-encoding': 'gzip' },
    // No stable code is defined for an undecodable body; the status and the shape are the contract.
    status: 400,
  },
];

const CASES: readonly BadInputCase[] = [
  ...AUTH_CASES,
  ...PATH_CASES,
  ...NOT_FOUND_CASES,
  ...PAGINATION_CASES,
  ...QUERY_CASES,
  ...ORG_BODY_CASES,
  ...MEMBER_BODY_CASES,
  ...API_KEY_BODY_CASES,
  ...REPO_BODY_CASES,
  ...SCAN_BODY_CASES,
  ...FINDING_BODY_CASES,
  ...POLICY_BODY_CASES,
  ...ENCODING_CASES,
];

function fill(template: string, ids: Ids): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = (ids as unknown as Record<string, string | undefined>)[key];
    if (value === undefined) throw new Error(`no id named ${key} for ${template}`);
    return value;
  });
}

async function send(stack: ApiStack, ids: Ids, c: BadInputCase): Promise<JsonResponse> {
  const auth = c.auth ?? 'owner';
  const token =
    auth === 'none'
      ? null
      : auth === 'owner'
        ? ids.ownerToken
        : auth === 'admin'
          ? stack.adminToken
          : auth(ids);
  const body =
    c.raw !== undefined
      ? c.raw
      : c.body === undefined
        ? undefined
        : JSON.stringify(typeof c.body === 'function' ? c.body(ids) : c.body);
  return request(`${stack.url}/api/v1${fill(c.path, ids)}`, {
    method: c.method,
    headers: { ...(token !== null ? { authorization: `Bearer ${token}` } : {}), ...c.headers },
    ...(body === undefined ? {} : { body }),
  });
}

async function waitForScan(stack: ApiStack, token: string, scanId: string) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { body } = await stack.call(token, 'GET', `/api/v1/scans/${scanId}`);
    if (body.status === 'COMPLETED') return body;
    if (body.status === 'FAILED' || Date.now() > deadline) {
      throw new Error(`scan ${scanId} did not complete: ${JSON.stringify(body)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('malformed requests', () => {
  let stack: ApiStack;
  let ids: Ids;

  beforeAll(async () => {
    stack = await startApiStack({
      name: 'bad-input',
      advisories: [DJANGO_ADVISORY],
      // Every case runs on the owner's token: the default limit must not be what answers.
      env: { RATE_LIMIT_PER_MINUTE: '100000' },
    });
    const org = await stack.createOrg('bad-input');
    const connect = async (name: string): Promise<string> => {
      const github = await stack.harness.github.createRepo('acme', name);
      await github.commit({ 'requirements.txt': 'django==1.11.0\nrequests>=2.0\n' });
      const { status, body } = await stack.call(org.ownerToken, 'POST', `/api/v1/orgs/${org.orgId}/repos`, {
        repo: `acme/${name}`,
      });
      if (status !== 201) throw new Error(`connecting acme/${name}: ${status} ${JSON.stringify(body)}`);
      return body.id;
    };
    const repoName = 'bad-input';
    const repo = await connect(repoName);
    const spare = await connect('bad-input-spare');
    const requested = await stack.call(org.ownerToken, 'POST', `/api/v1/repos/${repo}/scan`, {});
    if (requested.status !== 202)
      throw new Error(`scan: ${requested.status} ${JSON.stringify(requested.body)}`);
    const scan = await waitForScan(stack, org.ownerToken, requested.body.scan_id);
    const findings = await stack.call(org.ownerToken, 'GET', `/api/v1/repos/${repo}/findings`);
    if (findings.body.items?.length !== 1) throw new Error(`findings: ${JSON.stringify(findings.body)}`);
    ids = {
      org: org.orgId,
      owner: org.ownerId,
      ownerToken: org.ownerToken,
      repo,
      repoName,
      spare,
      scan: scan.id,
      snapshot: scan.snapshot_id,
      finding: findings.body.items[0].id,
    };
  });
  afterAll(async () => stack?.close());

  it.each(CASES.map((c) => [`${c.method} ${c.path.slice(0, 60)}: ${c.name}`, c] as const))(
    '%s',
    async (_, c) => {
      const { status, body } = await send(stack, ids, c);
      expect({ status, body }).toMatchObject({
        status: c.status,
        body: {
          error: {
            code: c.code ?? expect.any(String),
            message: expect.any(String),
            details: expect.any(Array),
          },
        },
      });
      for (const detail of body.error.details) {
        expect(detail).toEqual({ field: expect.any(String), problem: expect.any(String) });
      }
      if (c.field !== undefined) {
        expect(body.error.details.map((d: { field: string }) => d.field)).toContain(c.field);
      }
    },
  );

  it('lists at least 100 cases, each under its own name', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(100);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  it('still answers valid requests afterwards: no case changed the org, repo or finding', async () => {
    const repo = await stack.call(ids.ownerToken, 'GET', `/api/v1/orgs/${ids.org}/repos/${ids.spare}`);
    const finding = await stack.call(ids.ownerToken, 'GET', `/api/v1/repos/${ids.repo}/findings`);
    const members = await stack.call(ids.ownerToken, 'GET', `/api/v1/orgs/${ids.org}/members`);
    expect({
      repo: repo.status,
      finding: finding.body.items.map((f: { status: string }) => f.status),
      roles: members.body.items.map((m: { role: string }) => m.role),
    }).toEqual({ repo: 200, finding: ['open'], roles: ['owner'] });
  });
});
