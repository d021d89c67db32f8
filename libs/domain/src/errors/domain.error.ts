/** A detail that points at the offending input, e.g. `{ field: 'repo', problem: 'must be owner/name' }`. */
export interface ErrorDetail {
  readonly field: string;
  readonly problem: string;
}

/**
 * Every error the domain and the use cases raise carries a stable code. The code is the
 * contract with clients and with the HTTP edge, which maps it to a status in one place.
 */
export class DomainError extends Error {
  constructor(
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
    super(code, message, details);
  }
}
