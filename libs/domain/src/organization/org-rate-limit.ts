import { ValidationError } from '../errors';

/**
 * An org may lower its per-token limit, never raise it above the instance's: the operator sizes
 * the instance for that, and one tenant must not take the others' share.
 */
export function parseOrgRateLimit(
  value: number | null,
  instanceLimit: number,
  field = 'rate_limit_per_minute',
): number | null {
  if (value === null) return null;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new ValidationError(`Invalid ${field}`, [
      { field, problem: 'must be a whole number of at least 1' },
    ]);
  }
  if (value > instanceLimit) {
    throw new ValidationError(`${field} cannot exceed the instance's limit of ${instanceLimit}`, [
      { field, problem: `must be at most ${instanceLimit}, the instance's limit` },
    ]);
  }
  return value;
}

/**
 * The limit a token runs under: the most generous of its orgs' limits (null: the instance's), and
 * never above the instance's, whatever a row stored before the ceiling existed says.
 */
export function effectiveRateLimit(orgLimits: readonly (number | null)[], instanceLimit: number): number {
  if (orgLimits.length === 0) return instanceLimit;
  return Math.max(...orgLimits.map((limit) => Math.min(limit ?? instanceLimit, instanceLimit)));
}
