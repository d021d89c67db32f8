import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { documentFile, type RecordedResponse } from './recorded-response';
import { validateRecordedResponses } from './validate-recorded-responses';

const ERROR_BODY = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'details'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'array' } },
    },
  },
};

const DOCUMENT = {
  openapi: '3.0.0',
  info: { title: 't', version: '1' },
  paths: {
    '/api/v1/orgs/{org_id}': {
      patch: {
        operationId: 'update',
        parameters: [{ name: 'org_id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': {
            description: 'ok',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/OrgDto' } } },
          },
          '204': { description: 'nothing' },
          '404': { description: 'no', content: { 'application/json': { schema: ERROR_BODY } } },
        },
      },
    },
    '/metrics': {
      get: {
        operationId: 'metrics',
        responses: {
          '200': { description: 'text', content: { 'text/plain': { schema: { type: 'string' } } } },
        },
      },
    },
  },
  components: {
    schemas: {
      OrgDto: {
        type: 'object',
        required: ['id', 'rate_limit_per_minute'],
        properties: {
          id: { type: 'string' },
          rate_limit_per_minute: { type: 'integer', nullable: true },
          counts: { type: 'object', additionalProperties: { type: 'integer' } },
          // As Nest writes a nullable reference.
          disabled: { nullable: true, type: 'object', allOf: [{ $ref: '#/components/schemas/DisabledDto' }] },
        },
      },
      DisabledDto: {
        type: 'object',
        required: ['at', 'by'],
        properties: { at: { type: 'string', format: 'date-time' }, by: { type: 'string', format: 'uuid' } },
      },
    },
  },
};

describe('checking recorded API answers against the OpenAPI document', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'contract-spec-'));
    writeFileSync(path.join(dir, documentFile('doc1')), JSON.stringify(DOCUMENT));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const check = async (...answers: Partial<RecordedResponse>[]) => {
    const records = answers.map((answer) => ({
      document: 'doc1',
      method: 'PATCH',
      url: '/api/v1/orgs/o1',
      status: 200,
      contentType: 'application/json; charset=utf-8',
      testFile: 'test/x.e2e-spec.ts',
      ...answer,
    }));
    writeFileSync(path.join(dir, 'responses-1-42.jsonl'), records.map((r) => JSON.stringify(r)).join('\n'));
    return validateRecordedResponses(dir);
  };

  it('accepts answers that match: a documented body, a bare 204, text where text is documented', async () => {
    const report = await check(
      { body: { id: 'o1', rate_limit_per_minute: null, counts: { manifests: 2 } } },
      { status: 204, contentType: null },
      { method: 'GET', url: '/metrics', contentType: 'text/plain; version=0.0.4' },
      {
        method: 'GET',
        url: '/api/v1/nowhere',
        status: 404,
        body: { error: { code: 'NOT_FOUND', message: 'x', details: [] } },
      },
    );
    expect(report).toEqual({ checked: 4, problems: [] });
  });

  it('reads a nullable reference as that schema or null, and checks uuid and date-time formats', async () => {
    const by = '0b7c8e4a-3f51-4c2e-9d6a-1f2e3d4c5b6a';
    expect(
      await check(
        { body: { id: 'o1', rate_limit_per_minute: 1, disabled: null } },
        { body: { id: 'o1', rate_limit_per_minute: 1, disabled: { at: '2026-12-08T05:00:00.000Z', by } } },
      ),
    ).toEqual({ checked: 2, problems: [] });
    const at = await check({
      body: { id: 'o1', rate_limit_per_minute: 1, disabled: { at: 'yesterday', by } },
    });
    expect(at.problems).toContainEqual(expect.stringContaining('/disabled/at must match format "date-time"'));
    const who = { at: '2026-12-08T05:00:00.000Z', by: 'someone' };
    const byName = await check({ body: { id: 'o1', rate_limit_per_minute: 1, disabled: who } });
    expect(byName.problems).toContainEqual(expect.stringContaining('/disabled/by must match format "uuid"'));
  });

  it('names the route, the status and the JSON path of a body that does not match', async () => {
    const { problems } = await check({ body: { id: 'o1', rate_limit_per_minute: 1.5 } });
    expect(problems).toEqual([
      expect.stringMatching(
        /^PATCH \/api\/v1\/orgs\/\{org_id\} 200: \/rate_limit_per_minute must be integer\n.*1× e\.g\. PATCH \/api\/v1\/orgs\/o1 in test\/x\.e2e-spec\.ts/s,
      ),
    ]);
  });

  it('refuses a field the document does not list, and a camelCase key', async () => {
    const { problems } = await check({
      body: { id: 'o1', rate_limit_per_minute: 5, counts: { fixedFindings: 1 }, extra: true },
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('PATCH /api/v1/orgs/{org_id} 200: /counts/fixedFindings is not snake_case'),
        expect.stringContaining(
          'PATCH /api/v1/orgs/{org_id} 200: (body) must NOT have additional properties: extra',
        ),
      ]),
    );
  });

  it('refuses a status the route does not document, and a route the document does not have', async () => {
    const { problems } = await check(
      { status: 409, body: { error: { code: 'CONFLICT', message: 'x', details: [] } } },
      { method: 'GET', url: '/api/v1/whoami', body: { id: 'u1' } },
    );
    expect(problems).toEqual([
      expect.stringContaining('PATCH /api/v1/orgs/{org_id} 409: status not documented for this route'),
      expect.stringContaining('GET /api/v1/whoami 200: no such route in the document'),
    ]);
  });

  it('refuses JSON where the document promises no body, and another media type than documented', async () => {
    const { problems } = await check(
      { status: 204, body: { id: 'o1' } },
      { method: 'GET', url: '/metrics', body: { up: 1 } },
    );
    expect(problems).toEqual([
      expect.stringContaining(
        'PATCH /api/v1/orgs/{org_id} 204: answers application/json but the document has no schema',
      ),
      expect.stringContaining('GET /metrics 200: answers application/json, documented text/plain'),
    ]);
  });
});
