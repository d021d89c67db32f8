import { isUUID } from 'class-validator';
import { ValidationError } from '@repoguard/domain';

/** A malformed id in the path or query is the caller's mistake (400), never a database error. */
export function requireUuid(value: unknown, field: string): string {
  if (typeof value !== 'string' || !isUUID(value)) {
    throw new ValidationError(
      `Invalid request: ${field} must be a UUID`,
      [{ field, problem: 'must be a UUID' }],
      'REQUEST_INVALID',
    );
  }
  return value.toLowerCase();
}
