// Checks every answer the e2e suite recorded against the OpenAPI document the answering API served:
// the route and the status must be documented, the body must match the documented schema, and JSON
// keys are snake_case. Relative imports only: Jest's global teardown loads this.
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import OpenAPIBackend, { type Document } from 'openapi-backend';
import { documentFile, RESPONSES_FILE, type RecordedResponse } from './recorded-response';

export interface ContractReport {
  readonly checked: number;
  /** One line per distinct problem: route template, status, JSON path, what is wrong, an example. */
  readonly problems: readonly string[];
}

// A key with a lower-case letter or digit followed by an upper-case one: `fixedFindings`, `scanId`.
// Upper-case keys on their own (`COERCED`, a severity) are values used as keys, not names.
const CAMEL_CASE = /[a-z0-9][A-Z]/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// What toISOString() writes, which is what every date-time in an answer should be.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{3})?Z$/;

export async function validateRecordedResponses(dir: string): Promise<ContractReport> {
  const backends = new Map<string, OpenAPIBackend>();
  const problems = new Map<string, { count: number; example: RecordedResponse }>();
  const report = (problem: string, record: RecordedResponse) => {
    const seen = problems.get(problem);
    if (seen) seen.count += 1;
    else problems.set(problem, { count: 1, example: record });
  };

  let checked = 0;
  for (const record of readRecords(dir)) {
    checked += 1;
    let backend = backends.get(record.document);
    if (!backend) {
      backend = await backendFor(path.join(dir, documentFile(record.document)));
      backends.set(record.document, backend);
    }
    for (const problem of problemsOf(backend, record)) report(problem, record);
  }

  return {
    checked,
    problems: [...problems].map(
      ([problem, { count, example }]) =>
        `${problem}\n    ${count}× e.g. ${example.method} ${example.url} in ${example.testFile}`,
    ),
  };
}

export function readRecords(dir: string): RecordedResponse[] {
  return readdirSync(dir)
    .filter((name) => RESPONSES_FILE.test(name))
    .sort()
    .flatMap((name) =>
      readFileSync(path.join(dir, name), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as RecordedResponse),
    );
}

/**
 * The document is an object already: reading it needs none of the ESM reference parser that
 * `init` imports dynamically (which Jest's module sandbox refuses). In quick mode the references
 * are resolved synchronously and validators compiled as routes come up.
 */
class LoadedDocumentBackend extends OpenAPIBackend {
  override async loadDocument(): Promise<Document> {
    this.document = this.inputDocument as Document;
    return this.document;
  }
}

/** A backend over the document with every documented object closed to undocumented properties. */
export async function backendFor(documentPath: string): Promise<OpenAPIBackend> {
  const definition = closeObjects(JSON.parse(readFileSync(documentPath, 'utf8'))) as Document;
  const backend = new LoadedDocumentBackend({
    definition,
    quick: true,
    strict: true,
    customizeAjv: (ajv) =>
      ajv
        .addFormat('uuid', UUID)
        .addFormat('date-time', (value: string) => DATE_TIME.test(value) && !Number.isNaN(Date.parse(value))),
  });
  await backend.init();
  return backend;
}

export function problemsOf(backend: OpenAPIBackend, record: RecordedResponse): string[] {
  const url = new URL(record.url, 'http://api');
  const operation = backend.router.matchOperation({
    method: record.method.toLowerCase(),
    path: url.pathname,
    headers: {},
  });
  const mediaType = record.contentType?.split(';')[0]?.trim() ?? null;
  // A standard's own document (CycloneDX's, SPDX's media types) names its keys as the standard does.
  const ours = mediaType === null || mediaType === 'application/json';
  const problems = (ours ? camelCaseKeys(record.body) : []).map(
    (at) => `${record.method} ${operation?.path ?? url.pathname} ${record.status}: ${at} is not snake_case`,
  );
  if (!operation) {
    // Probing a path the API does not serve is fine if it is answered as not found, with the error body.
    if (record.status === 404 && isErrorBody(record.body)) return problems;
    return [...problems, `${record.method} ${url.pathname} ${record.status}: no such route in the document`];
  }
  const route = `${record.method} ${operation.path}`;
  const documented = operation.responses?.[String(record.status)] as
    { content?: Record<string, { schema?: unknown }> } | undefined;
  if (!documented) return [...problems, `${route} ${record.status}: status not documented for this route`];

  const content = documented.content ?? {};
  if (!mediaType || Object.keys(content).length === 0) {
    if (mediaType && record.body !== undefined)
      problems.push(`${route} ${record.status}: answers ${mediaType} but the document has no schema for it`);
    else if (!mediaType && Object.keys(content).length > 0)
      problems.push(`${route} ${record.status}: answers no body but the document promises one`);
    return problems;
  }
  if (!content[mediaType]) {
    return [
      ...problems,
      `${route} ${record.status}: answers ${mediaType}, documented ${Object.keys(content).join(', ')}`,
    ];
  }
  if (mediaType !== 'application/json') return problems;
  if (!content[mediaType]?.schema) {
    return [...problems, `${route} ${record.status}: answers JSON but the document has no schema for it`];
  }
  const result = backend.validator.validateResponse(record.body, operation, record.status);
  for (const error of result.errors ?? []) {
    const extra = (error.params as { additionalProperty?: string }).additionalProperty;
    problems.push(
      `${route} ${record.status}: ${error.instancePath || '(body)'} ${error.message}` +
        (extra ? `: ${extra}` : ''),
    );
  }
  return problems;
}

/** JSON paths of keys that are not snake_case, anywhere in the body. */
export function camelCaseKeys(body: unknown, at = ''): string[] {
  if (Array.isArray(body)) return body.flatMap((item, index) => camelCaseKeys(item, `${at}/${index}`));
  if (body === null || typeof body !== 'object') return [];
  return Object.entries(body).flatMap(([key, value]) => [
    ...(CAMEL_CASE.test(key) ? [`${at}/${key}`] : []),
    ...camelCaseKeys(value, `${at}/${key}`),
  ]);
}

function isErrorBody(body: unknown): boolean {
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  return typeof error?.code === 'string' && typeof error.message === 'string' && Array.isArray(error.details);
}

/**
 * Nest leaves `additionalProperties` unset, which lets any field through: an answer that grows a
 * field nobody documented must fail here, so every object with documented properties is closed
 * (schemas that set additionalProperties themselves, e.g. maps, keep what they say). A nullable
 * reference is written `{ nullable: true, type: 'object', allOf: [{ $ref }] }`, which Ajv reads as
 * never null (the referenced schema refuses null): it is read as "that schema, or null", as meant.
 */
export function closeObjects(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closeObjects);
  if (node === null || typeof node !== 'object') return node;
  const copy = Object.fromEntries(Object.entries(node).map(([key, value]) => [key, closeObjects(value)]));
  if (copy['nullable'] === true && Array.isArray(copy['allOf'])) {
    const { nullable: _nullable, type: _type, allOf, ...rest } = copy;
    return { ...rest, anyOf: [{ allOf }, { type: 'null' }] };
  }
  const composed = 'allOf' in copy || 'oneOf' in copy || 'anyOf' in copy;
  if (
    copy['properties'] &&
    typeof copy['properties'] === 'object' &&
    !('additionalProperties' in copy) &&
    !composed
  ) {
    copy['additionalProperties'] = false;
  }
  return copy;
}
