import { ValidationError } from '@repoguard/domain';

/**
 * A token's requested expiry: none, or a real instant in the future. Some ISO 8601 forms pass
 * the DTO's check yet make an Invalid Date (week dates, comma fractions), which must be the
 * caller's 422, not a 500 at flush.
 */
export function checkTokenExpiry(expiresAt: Date | null, now: Date): void {
  if (!expiresAt) return;
  if (Number.isNaN(expiresAt.getTime())) {
    throw new ValidationError('expires_at is not a date and time', [
      { field: 'expires_at', problem: 'must be an ISO 8601 date and time such as 2030-01-31T00:00:00Z' },
    ]);
  }
  if (expiresAt.getTime() <= now.getTime()) {
    throw new ValidationError('expires_at must be in the future', [
      { field: 'expires_at', problem: 'must be in the future' },
    ]);
  }
}
