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
  'get /api/v1/repos/{repo_id}',
  'post /api/v1/repos/{repo_id}/scan',
  'post /api/v1/orgs/{org_id}/sboms',
  'get /api/v1/repos/{repo_id}/scans',
  'get /api/v1/repos/{repo_id}/scan-requests/{request_id}',
  'get /api/v1/scans/{scan_id}',
  'get /api/v1/repos/{repo_id}/findings',
  'get /api/v1/repos/{repo_id}/pull-requests/{number}/checks',
  'get /api/v1/repos/{repo_id}/pull-request-checks/{check_id}',
  'get /api/v1/orgs/{org_id}/findings',
  'get /api/v1/orgs/{org_id}/summary',
  'patch /api/v1/findings/{finding_id}',
  'post /api/v1/repos/{repo_id}/vex',
  'get /api/v1/repos/{repo_id}/snapshots/{snapshot_id}',
  'get /api/v1/repos/{repo_id}/sbom',
  'get /api/v1/repos/{repo_id}/vex',
  'put /api/v1/orgs/{org_id}/policies',
  'get /api/v1/orgs/{org_id}/policies',
  'get /api/v1/orgs/{org_id}/policies/evaluation',
  'post /api/v1/orgs/{org_id}/policies/dry-run',
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
  'post /api/v1/orgs/{org_id}/notification-channels',
  'get /api/v1/orgs/{org_id}/notification-channels',
  'get /api/v1/orgs/{org_id}/notification-channels/{channel_id}',
  'patch /api/v1/orgs/{org_id}/notification-channels/{channel_id}',
  'delete /api/v1/orgs/{org_id}/notification-channels/{channel_id}',
  'post /api/v1/orgs/{org_id}/notification-channels/{channel_id}/test',
  'post /api/v1/orgs/{org_id}/notification-channels/{channel_id}/rotate-secret',
  'post /api/v1/orgs/{org_id}/notification-rules',
  'get /api/v1/orgs/{org_id}/notification-rules',
  'get /api/v1/orgs/{org_id}/notification-rules/{rule_id}',
  'patch /api/v1/orgs/{org_id}/notification-rules/{rule_id}',
  'delete /api/v1/orgs/{org_id}/notification-rules/{rule_id}',
  'put /api/v1/orgs/{org_id}/notification-rules/{rule_id}/mutes/{repo_id}',
  'delete /api/v1/orgs/{org_id}/notification-rules/{rule_id}/mutes/{repo_id}',
  'get /api/v1/orgs/{org_id}/notification-deliveries',
  'get /api/v1/orgs/{org_id}/notification-deliveries/{delivery_id}',
  'put /api/v1/orgs/{org_id}/rescan-schedule',
  'get /api/v1/orgs/{org_id}/rescan-schedule',
  'delete /api/v1/orgs/{org_id}/rescan-schedule',
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
// Deliveries are GitHub's raw JSON, documented by its headers and answers, and a VEX document is a
// standard's own (CycloneDX or OpenVEX, with their camelCase and @ names), described inline; a
// webhook secret and a deploy key are generated, not given.
const WITHOUT_BODY = new Set([
  'post /api/v1/repos/{repo_id}/vex',
  'post /api/v1/invites/{token}/accept',
  'post /api/v1/webhooks/github',
  'post /api/v1/webhooks/github/orgs/{org_id}',
  'post /api/v1/orgs/{org_id}/webhook-secret',
  'post /api/v1/orgs/{org_id}/ssh-keys',
  'post /api/v1/orgs/{org_id}/notification-channels/{channel_id}/test',
  'post /api/v1/orgs/{org_id}/notification-channels/{channel_id}/rotate-secret',
  // An SBOM document (CycloneDX JSON or XML, SPDX JSON) as bytes, documented by its media types.
  'post /api/v1/orgs/{org_id}/sboms',
]);

interface Operation {
  parameters?: { name: string; in: string; schema?: { type?: string } }[];
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string; type?: string } }> }>;
  security?: unknown[];
}

interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
}

// The only fractional numbers the API answers; every other number is a whole one.
const FRACTIONAL = new Set([
  'FindingDto.cvss_score',
  'OrgFindingDto.cvss_score',
  'DependencyHealthDto.latency_ms',
]);
// Exports in a standard's format (CycloneDX, SPDX, OpenVEX): the standard's schema describes the
// document, the OpenAPI document the media types it comes in.
const STANDARD_DOCUMENTS = new Map([
  ['get /api/v1/repos/{repo_id}/sbom', ['application/spdx+json', 'application/vnd.cyclonedx+json']],
  ['get /api/v1/repos/{repo_id}/vex', ['application/json', 'application/vnd.cyclonedx+json']],
]);
// Answered before any route runs (body parsers, the per-address limit): documented on every API route.
const ANSWERS_OF_API_ROUTES = ['400', '413', '415', '429'];

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

  it('describes the bearer token as it is: opaque rg_pat_/rg_key_ tokens or the admin token, not a JWT', () => {
    const scheme = document.components.securitySchemes.bearer;
    expect(scheme).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'opaque' });
    expect(scheme.description).toEqual(expect.stringContaining('rg_pat_'));
    expect(scheme.description).toEqual(expect.stringContaining('rg_key_'));
    expect(scheme.description).toEqual(expect.stringContaining('REPOGUARD_ADMIN_TOKEN'));
  });

  it('types whole numbers as integers, in bodies, answers and query strings', () => {
    const schemas = document.components.schemas as Record<string, Schema>;
    expect(schemas['OrgDto']!.properties!['rate_limit_per_minute']).toMatchObject({ type: 'integer' });
    expect(schemas['UpdateOrgBody']!.properties!['rate_limit_per_minute']).toMatchObject({ type: 'integer' });
    const numbers = Object.entries(schemas).flatMap(([name, schema]) =>
      Object.entries(schema.properties ?? {})
        .filter(([, property]) => property.type === 'number' || property.items?.type === 'number')
        .map(([property]) => `${name}.${property}`),
    );
    expect(numbers.filter((n) => !FRACTIONAL.has(n))).toEqual([]);
    const queryNumbers = [...operations].flatMap(([route, op]) =>
      (op.parameters ?? [])
        .filter((p) => p.in === 'query' && p.schema?.type === 'number')
        .map((p) => `${route} ${p.name}`),
    );
    expect(queryNumbers).toEqual([]);
  });

  it('names every field in snake_case', () => {
    const names = Object.entries(document.components.schemas as Record<string, Schema>).flatMap(
      ([name, schema]) => Object.keys(schema.properties ?? {}).map((property) => `${name}.${property}`),
    );
    expect(names.length).toBeGreaterThan(100);
    expect(names.filter((n) => !/^\w+\.[a-z][a-z0-9_]*$/.test(n))).toEqual([]);
  });

  it.each(ROUTES)('%s: a schema for every answer, the shared error body for every error', (route) => {
    const responses = operations.get(route)!.responses;
    for (const [status, response] of Object.entries(responses)) {
      const schema = response.content?.['application/json']?.schema;
      const health = route.startsWith('get /health');
      if (status === '204') expect(response.content).toBeUndefined();
      else if (route === 'get /metrics' && status === '200')
        expect(response.content?.['text/plain']?.schema).toEqual({ type: 'string' });
      else if (STANDARD_DOCUMENTS.has(route) && status === '200')
        expect(Object.keys(response.content ?? {}).sort()).toEqual(STANDARD_DOCUMENTS.get(route));
      else if (route === 'get /health/live' && status === '200')
        expect(schema?.$ref).toBe('#/components/schemas/LiveDto');
      else if (health && (status === '200' || status === '503'))
        expect(schema?.$ref).toBe('#/components/schemas/HealthDto');
      else if (Number(status) >= 400)
        expect([status, schema?.$ref]).toEqual([status, '#/components/schemas/ErrorBodyDto']);
      else
        expect([status, schema?.$ref]).toEqual([
          status,
          expect.stringMatching(/^#\/components\/schemas\/\w+Dto$/),
        ]);
    }
    if (route.includes(' /api/v1/'))
      expect(Object.keys(responses)).toEqual(expect.arrayContaining(ANSWERS_OF_API_ROUTES));
  });

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
    expect(query.sort()).toEqual([
      'cursor',
      'ecosystem',
      'package',
      'page',
      'per_page',
      'severity',
      'sort',
      'status',
    ]);
    const search = (operations.get('get /api/v1/orgs/{org_id}/findings')!.parameters ?? [])
      .filter((p) => p.in === 'query')
      .map((p) => p.name);
    expect(search.sort()).toEqual([...query, 'advisory'].sort());
  });
});
