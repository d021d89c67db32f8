// The OpenAPI document at /docs must describe every route: its parameters, body and error answers.
import { startApiProcess, testApiEnv, type ApiProcess } from '../support/api-process';
import { request } from '../support/http';

const ROUTES = [
  'post /api/v1/orgs',
  'get /api/v1/orgs/me',
  'patch /api/v1/orgs/{org_id}',
  'delete /api/v1/orgs/{org_id}',
  'get /api/v1/orgs/{org_id}/members',
  'post /api/v1/orgs/{org_id}/invite',
  'get /api/v1/orgs/{org_id}/invitations',
  'delete /api/v1/orgs/{org_id}/invitations/{invitation_id}',
  'patch /api/v1/orgs/{org_id}/members/{user_id}',
  'delete /api/v1/orgs/{org_id}/members/{user_id}',
  'post /api/v1/invites/{token}/accept',
  'get /api/v1/auth/me',
  'post /api/v1/auth/api-keys',
  'get /api/v1/auth/api-keys',
  'delete /api/v1/auth/api-keys/{key_id}',
  'post /api/v1/auth/tokens',
  'get /api/v1/auth/tokens',
  'delete /api/v1/auth/tokens/{token_id}',
  'post /api/v1/orgs/{org_id}/repos',
  'get /api/v1/orgs/{org_id}/repos',
  'get /api/v1/orgs/{org_id}/repos/{repo_id}',
  'delete /api/v1/orgs/{org_id}/repos/{repo_id}',
  'post /api/v1/repos/{repo_id}/scan',
  'get /api/v1/repos/{repo_id}/scans',
  'get /api/v1/repos/{repo_id}/scan-requests/{request_id}',
  'get /api/v1/scans/{scan_id}',
  'get /api/v1/repos/{repo_id}/findings',
  'get /api/v1/orgs/{org_id}/findings',
  'patch /api/v1/findings/{finding_id}',
  'get /api/v1/repos/{repo_id}/snapshots/{snapshot_id}',
  'put /api/v1/orgs/{org_id}/policies',
  'get /api/v1/orgs/{org_id}/policies',
  'get /api/v1/orgs/{org_id}/policies/evaluation',
  'get /api/v1/orgs/{org_id}/audit-logs',
  'put /api/v1/orgs/{org_id}/github/token',
  'get /api/v1/orgs/{org_id}/github/token',
  'delete /api/v1/orgs/{org_id}/github/token',
  'post /api/v1/orgs/{org_id}/webhook-secret',
  'get /api/v1/orgs/{org_id}/webhook-secret',
  'delete /api/v1/orgs/{org_id}/webhook-secret',
  'post /api/v1/orgs/{org_id}/github/installations',
  'post /api/v1/orgs/{org_id}/github/installations/link-requests',
  'get /api/v1/github/setup',
  'get /api/v1/orgs/{org_id}/github/installations',
  'get /api/v1/orgs/{org_id}/github/repos',
  'post /api/v1/orgs/{org_id}/ssh-keys',
  'get /api/v1/orgs/{org_id}/ssh-keys',
  'delete /api/v1/orgs/{org_id}/ssh-keys',
  'post /api/v1/webhooks/github',
  'post /api/v1/webhooks/github/orgs/{org_id}',
  'get /health',
  'get /health/ready',
  'get /health/live',
  'get /metrics',
];
const PUBLIC = new Set([
  'get /health',
  'get /health/ready',
  'get /health/live',
  'get /metrics',
  'post /api/v1/invites/{token}/accept',
  'post /api/v1/webhooks/github',
  'post /api/v1/webhooks/github/orgs/{org_id}',
  'get /api/v1/github/setup',
]);
// Deliveries are GitHub's raw JSON, documented by its headers and answers; a webhook secret and a
// deploy key are generated, not given.
const WITHOUT_BODY = new Set([
  'post /api/v1/invites/{token}/accept',
  'post /api/v1/webhooks/github',
  'post /api/v1/webhooks/github/orgs/{org_id}',
  'post /api/v1/orgs/{org_id}/webhook-secret',
  'post /api/v1/orgs/{org_id}/ssh-keys',
]);

interface Operation {
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
  responses: Record<string, unknown>;
  security?: unknown[];
}

describe('the OpenAPI document', () => {
  let app: ApiProcess;
  let operations: Map<string, Operation>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let document: any;

  beforeAll(async () => {
    app = await startApiProcess(testApiEnv());
    const url = app.url;
    document = (await request(`${url}/docs/openapi.json`)).body;
    operations = new Map(
      Object.entries(document.paths as Record<string, Record<string, Operation>>).flatMap(([path, methods]) =>
        Object.entries(methods).map(([method, op]) => [`${method} ${path}`, op] as const),
      ),
    );
  });
  afterAll(async () => app?.close());

  it('lists exactly the routes the API serves', () => {
    expect([...operations.keys()].sort()).toEqual([...ROUTES].sort());
  });

  it.each(ROUTES.filter((r) => !PUBLIC.has(r)))(
    '%s: needs a bearer token and documents its error answers',
    (route) => {
      const op = operations.get(route)!;
      expect(op.security).toEqual([{ bearer: [] }]);
      // GET /orgs/me and /auth/me are for any caller: nothing there can be forbidden.
      const anyCaller = route === 'get /api/v1/orgs/me' || route === 'get /api/v1/auth/me';
      const expected = anyCaller ? ['400', '401', '429'] : ['400', '401', '403', '429'];
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(expected));
      const errorSchema = (op.responses['401'] as { content: Record<string, { schema: { $ref: string } }> })
        .content['application/json']!.schema;
      expect(errorSchema.$ref).toBe('#/components/schemas/ErrorBodyDto');
    },
  );

  it.each(ROUTES.filter((r) => /\{/.test(r)))('%s: documents its path parameters', (route) => {
    const names = [...route.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    const documented = (operations.get(route)!.parameters ?? [])
      .filter((p) => p.in === 'path')
      .map((p) => p.name);
    expect(documented.sort()).toEqual(names.sort());
  });

  it.each(ROUTES.filter((r) => /^(?:post|put|patch) /.test(r) && !WITHOUT_BODY.has(r)))(
    '%s: documents its JSON body',
    (route) => {
      const ref = operations.get(route)!.requestBody?.content['application/json']?.schema.$ref;
      expect(ref).toMatch(/^#\/components\/schemas\//);
      const schema = document.components.schemas[ref!.split('/').pop()!];
      expect(Object.keys(schema.properties ?? {}).length).toBeGreaterThan(0);
    },
  );

  it('documents accepting an invitation with or without a bearer token, and its refusals', () => {
    const op = operations.get('post /api/v1/invites/{token}/accept')!;
    expect(op.security).toEqual([{}, { bearer: [] }]);
    expect(Object.keys(op.responses)).toEqual(
      expect.arrayContaining(['201', '401', '403', '404', '409', '410']),
    );
  });

  it('documents the filters of the findings list', () => {
    const query = (operations.get('get /api/v1/repos/{repo_id}/findings')!.parameters ?? [])
      .filter((p) => p.in === 'query')
      .map((p) => p.name);
    expect(query.sort()).toEqual(['ecosystem', 'package', 'page', 'per_page', 'severity', 'sort', 'status']);
    const search = (operations.get('get /api/v1/orgs/{org_id}/findings')!.parameters ?? [])
      .filter((p) => p.in === 'query')
      .map((p) => p.name);
    expect(search.sort()).toEqual([...query, 'advisory'].sort());
  });
});
