import { DomainError } from './domain.error';

/**
 * A dependency outside RepoGuard (GitHub, OSV) failed in a way a retry may fix: a timeout, a 5xx,
 * a 429. `retryAfterMs` carries the wait the service asked for, so the retry honours it.
 */
export class IntegrationUnavailableError extends DomainError {
  constructor(
    readonly integration: 'github' | 'osv' | 'git',
    readonly reason: 'timeout' | 'network' | '5xx' | '429' | 'auth' | 'other',
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super('unavailable', 'INTEGRATION_UNAVAILABLE', message);
  }
}
