import { randomUUID } from 'node:crypto';
import type { NextFunction, Response } from 'express';
import type { ApiRequest } from './api-request';

const ACCEPTABLE = /^[A-Za-z0-9._:-]{1,128}$/;

/** Every request gets an id (the caller's X-Request-Id when it is sane): audit rows and logs carry it. */
export function correlationId(request: ApiRequest, response: Response, next: NextFunction): void {
  const given = request.header('x-request-id');
  request.correlationId = given && ACCEPTABLE.test(given) ? given : randomUUID();
  response.setHeader('X-Request-Id', request.correlationId);
  next();
}
