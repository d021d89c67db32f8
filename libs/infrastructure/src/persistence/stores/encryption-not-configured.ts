import { DomainError } from '@repoguard/domain';

/** 503: a credential was given to keep, but the instance has no key to seal it with. */
export const encryptionNotConfigured = (): DomainError =>
  new DomainError(
    'unavailable',
    'ENCRYPTION_NOT_CONFIGURED',
    'Set REPOGUARD_ENCRYPTION_KEY to store credentials',
  );
