import type { NextFunction, Request, Response } from 'express';
import { RateLimitedError } from '@repoguard/domain';
import { ErrorResponseFilter } from '../errors/error-response.filter';
import type { AddressLimits } from './address-limits';

const filter = new ErrorResponseFilter();

/**
 * Counts every request of a source address before the body is parsed or a token looked at, and
 * answers 429 with Retry-After past PRE_AUTH_RATE_LIMIT_PER_MINUTE.
 */
export function preAuthLimit(limits: AddressLimits) {
  return (request: Request, response: Response, next: NextFunction): void => {
    limits.countRequest(request.ip).then(
      () => next(),
      (error: unknown) => {
        if (!(error instanceof RateLimitedError)) return next(error);
        const { status, body } = filter.toResponse(error);
        response.setHeader('Retry-After', String(error.retryAfterSeconds));
        response.status(status).json(body);
      },
    );
  };
}
