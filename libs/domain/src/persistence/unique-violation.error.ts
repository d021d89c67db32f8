/**
 * A write the database refused as a duplicate of a unique key (two requests raced). Not a
 * DomainError: the use case that expects the race says what it means for its caller.
 */
export class UniqueViolationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UniqueViolationError';
  }
}
