import { randomUUID } from 'node:crypto';
import type { NextFunction, Response } from 'express';
import type { ApiRequest } from './api-request';

const ACCEPTABLE = /^[\w.:-]{1,128}$/;

/**
 * Every request gets an id: a webhook's is its X-GitHub-Delivery, anyone else's the caller's
 * X-Request-Id when it is sane, else a fresh one. It is echoed back, and audit rows, log lines and
 * the scan workflows a request starts carry it.
 */
export function correlationId(request: ApiRequest, response: Response, next: NextFunction): void {
  assignCorrelationId(request, response);
  next();
}

/** The request's correlation id, assigned on first use (the request log asks for it too). */
export function assignCorrelationId(request: ApiRequest, response: Response): string {
  if (request.correlationId) return request.correlationId;
  const given = [request.header('x-github-delivery'), request.header('x-request-id')].find(
    (value): value is string => value !== undefined && ACCEPTABLE.test(value),
  );
  request.correlationId = given ?? randomUUID();
  response.setHeader('X-Request-Id', request.correlationId);
  return request.correlationId;
}
