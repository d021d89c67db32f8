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
 * Refuses, before any route runs, what no field may hold: NUL characters (PostgreSQL cannot store
 * them in text or JSON) and structures nested deeper than any request needs (validation walks them
 * recursively).
 */
export function inputSanity(request: Request, response: Response, next: NextFunction): void {
  const problem = scan(request.body, '', 0) ?? scan(request.query, '', 0);
  if (!problem) return next();
  const { status, body } = filter.toResponse(
    new ValidationError(`Invalid request: check ${problem.field}`, [problem], 'REQUEST_INVALID'),
  );
  response.status(status).json(body);
}

function scan(value: unknown, field: string, depth: number): { field: string; problem: string } | null {
  if (Buffer.isBuffer(value)) return null; // a raw body (webhooks): its own route reads and checks it
  if (typeof value === 'string') {
    return value.includes('\u0000')
      ? { field: field || 'body', problem: 'must not contain NUL characters' }
      : null;
  }
  if (typeof value !== 'object' || value === null) return null;
  if (depth >= MAX_DEPTH)
    return { field: field || 'body', problem: `must not be nested deeper than ${MAX_DEPTH} levels` };
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((item, i) => [`${field}[${i}]`, item])
    : Object.entries(value).map(([key, item]) => [field ? `${field}.${key}` : key, item]);
  for (const [path, item] of entries) {
    if (path.includes('\u0000'))
      return { field: field || 'body', problem: 'keys must not contain NUL characters' };
    const found = scan(item, path, depth + 1);
    if (found) return found;
  }
  return null;
}
