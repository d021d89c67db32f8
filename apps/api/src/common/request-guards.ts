import type { NextFunction, Request, Response } from 'express';
import { ValidationError } from '@repoguard/domain';
import { ErrorResponseFilter } from '../errors/error-response.filter';

const filter = new ErrorResponseFilter();
const MAX_DEPTH = 64;

/**
 * Answers body-parser failures (malformed JSON, undecodable bodies, too large) with the error body
 * right here: left to Nest they arrive at the filter as anonymous 400s without their code.
 */
export function bodyParserErrors(
  error: unknown,
  _request: Request,
  response: Response,
  next: NextFunction,
): void {
  if (response.headersSent) return next(error);
  const { status, body } = filter.toResponse(error);
  response.status(status).json(body);
}

/**
 * Request bodies are JSON: one sent as a form, as text, as another type or with no Content-Type at
 * all gets 415 naming application/json. Left to the parsers it would be dropped, and the route
 * would answer that every field is missing. Webhook routes keep their raw bytes whatever the type.
 */
export function jsonBodiesOnly(request: Request, response: Response, next: NextFunction): void {
  if (!hasBody(request) || WEBHOOK_PATH.test(request.path) || request.is('application/json')) return next();
  // An SBOM upload's body was taken as bytes already (sbomBodies), whatever its SBOM type.
  if (Buffer.isBuffer(request.body)) return next();
  const sent = shownType(request.headers['content-type']);
  const { status, body } = filter.toResponse(
    new ValidationError(
      `Send the request body as JSON with Content-Type: application/json (${sent ? `not ${sent}` : 'none was given'})`,
      [{ field: 'content-type', problem: 'must be application/json' }],
      'UNSUPPORTED_MEDIA_TYPE',
    ),
  );
  response.status(status).json(body);
}

// Mounted under the API prefix; express matches paths case-insensitively, so this does too.
const WEBHOOK_PATH = /^\/webhooks(?:\/|$)/i;

// As body-parser decides it: a length above zero, or a chunked body.
function hasBody(request: Request): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

// The type as sent, echoed printable and short.
function shownType(value: string | undefined): string {
  // eslint-disable-next-line no-control-regex
  const clean = (value ?? '').replace(/[\u0000-\u001f\u007f-\u009f]/g, '?').trim();
  return clean.length > 100 ? `${clean.slice(0, 100)}…` : clean;
}

/**
 * Refuses, before any route runs, what no field may hold: NUL characters (PostgreSQL cannot store
 * them in text or JSON) and structures nested deeper than any request needs (validation walks them
 * recursively).
 */
export function inputSanity(request: Request, response: Response, next: NextFunction): void {
  const found = scan(request.body, 0) ?? scan(request.query, 0);
  if (!found) return next();
  const problem = { field: fieldOf(found.at), problem: found.problem };
  const { status, body } = filter.toResponse(
    new ValidationError(`Invalid request: check ${problem.field}`, [problem], 'REQUEST_INVALID'),
  );
  response.status(status).json(body);
}

/** A problem and the keys leading to it, innermost first (pushed while unwinding). */
interface Found {
  readonly at: (string | number)[];
  readonly problem: string;
}

// One pass reading each value once: the path is put together only for the value at fault, since
// a path string per value costs its depth times the key lengths above it, for every value.
function scan(value: unknown, depth: number): Found | null {
  if (Buffer.isBuffer(value)) return null; // a raw body (webhooks): its own route reads and checks it
  if (typeof value === 'string') {
    return value.includes('\u0000') ? { at: [], problem: 'must not contain NUL characters' } : null;
  }
  if (typeof value !== 'object' || value === null) return null;
  if (depth >= MAX_DEPTH) return { at: [], problem: `must not be nested deeper than ${MAX_DEPTH} levels` };
  if (Array.isArray(value)) {
    for (let i = 0, length = value.length; i < length; i++) {
      const found = scan(value[i], depth + 1);
      if (found) return within(found, i);
    }
    return null;
  }
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (key.includes('\u0000')) return { at: [], problem: 'keys must not contain NUL characters' };
    const found = scan((value as Record<string, unknown>)[key], depth + 1);
    if (found) return within(found, key);
  }
  return null;
}

function within(found: Found, key: string | number): Found {
  found.at.push(key);
  return found;
}

function fieldOf(at: readonly (string | number)[]): string {
  let field = '';
  for (let i = at.length - 1; i >= 0; i--) {
    const key = at[i]!;
    field = typeof key === 'number' ? `${field}[${key}]` : field ? `${field}.${key}` : key;
  }
  return field || 'body';
}
