import { ApplicationFailure } from '@temporalio/common';
import { REPO_DISCONNECTED_FAILURE } from '@repoguard/contract';
import {
  IntegrationUnavailableError,
  NotFoundError,
  ValidationError,
  repoDisconnected,
} from '@repoguard/domain';
import { toActivityFailure } from './as-activity';

describe('toActivityFailure', () => {
  it('makes domain errors permanent, typed by their code', () => {
    const failure = toActivityFailure(new NotFoundError('REPO_NOT_FOUND', 'gone')) as ApplicationFailure;
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect([failure.type, failure.nonRetryable, failure.message]).toEqual(['REPO_NOT_FOUND', true, 'gone']);
    const tooLarge = toActivityFailure(
      new ValidationError('big', [], 'MANIFEST_TOO_LARGE'),
    ) as ApplicationFailure;
    expect([tooLarge.type, tooLarge.nonRetryable]).toEqual(['MANIFEST_TOO_LARGE', true]);
  });

  it('fails a step whose repository is gone with the type the workflow ends on, never retried', () => {
    const failure = toActivityFailure(repoDisconnected('r-1')) as ApplicationFailure;
    expect([failure.type, failure.nonRetryable]).toEqual([REPO_DISCONNECTED_FAILURE, true]);
  });

  it('retries an unavailable integration after the wait it asked for', () => {
    const failure = toActivityFailure(
      new IntegrationUnavailableError('osv', '429', 'slow down', 7_000),
    ) as ApplicationFailure;
    expect([failure.type, failure.nonRetryable, failure.nextRetryDelay]).toEqual([
      'INTEGRATION_UNAVAILABLE',
      false,
      7_000,
    ]);
    expect(failure.details).toEqual([{ integration: 'osv', reason: '429' }]);
  });

  it('leaves other errors to the retry policy untouched', () => {
    const error = new Error('connection terminated unexpectedly');
    expect(toActivityFailure(error)).toBe(error);
  });
});
