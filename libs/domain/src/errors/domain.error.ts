/** A detail that points at the offending input, e.g. `{ field: 'repo', problem: 'must be owner/name' }`. */
export interface ErrorDetail {
  readonly field: string;
  readonly problem: string;
}

/**
 * What kind of failure an error is, independent of any transport: the HTTP edge maps a kind to a
 * status code, a worker maps it to retryable or not.
 */
export type ErrorKind =
  | 'invalid' // the input can never be accepted
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'gone'
  | 'rate_limited'
  | 'unavailable'; // a dependency is down; trying later may work

/**
 * Every error the domain and the use cases raise carries a stable code. The code is the
 * contract with clients; the kind decides how the edge reports it.
 */
export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details: readonly ErrorDetail[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Input that cannot be accepted whatever the state of the system. */
export class ValidationError extends DomainError {
  constructor(message: string, details: readonly ErrorDetail[] = [], code = 'VALIDATION_FAILED') {
    super('invalid', code, message, details);
  }
}

export class NotFoundError extends DomainError {
  constructor(code: string, message: string) {
    super('not_found', code, message);
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, message: string, details: readonly ErrorDetail[] = []) {
    super('conflict', code, message, details);
  }
}

/** The caller is known but its role does not allow this. */
export class ForbiddenError extends DomainError {
  constructor(code: string, message: string) {
    super('forbidden', code, message);
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(code: string, message: string) {
    super('unauthenticated', code, message);
  }
}

/** Existed once and will never be usable again (a used or expired invitation). */
export class GoneError extends DomainError {
  constructor(code: string, message: string) {
    super('gone', code, message);
  }
}

export class RateLimitedError extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    code = 'RATE_LIMITED',
  ) {
    super('rate_limited', code, message);
  }
}
