import { DomainError } from '../errors/domain.error';

/** The scan engine (Temporal) could not be reached or did not answer in time: any request would fail alike. */
export const TEMPORAL_UNAVAILABLE = 'TEMPORAL_UNAVAILABLE';

export const scanEngineUnavailable = (message: string): DomainError =>
  new DomainError('unavailable', TEMPORAL_UNAVAILABLE, message);

export const isScanEngineUnavailable = (error: unknown): boolean =>
  error instanceof DomainError && error.code === TEMPORAL_UNAVAILABLE;
