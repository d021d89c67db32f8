import { ApplicationFailure } from '@temporalio/common';
import { REPO_DISCONNECTED_FAILURE } from '@repoguard/contract';
import {
  IntegrationUnavailableError,
  NotFoundError,
  ValidationError,
  repoDisconnected,
} from '@repoguard/domain';
import { MockActivityEnvironment } from '@temporalio/testing';
import { asActivity, toActivityFailure } from './as-activity';

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

describe('asActivity inside another (a re-match runs its steps in one activity)', () => {
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('keeps beating the progress the inner step reported, never an empty beat over it', async () => {
    const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 90 });
    const beats: unknown[] = [];
    env.on('heartbeat', (details: unknown) => beats.push(details));
    await env.run(() =>
      asActivity(async () => {
        await asActivity(async (_cancelled, step) => {
          step.report({ batchesDone: 1 });
          await pause(100);
        });
        // The steps after it report nothing: the retry of the whole must still find the match's progress.
        await asActivity(async () => pause(100));
        await pause(100);
      }),
    );
    expect(beats.length).toBeGreaterThan(3);
    expect(beats.filter((details) => details === undefined)).toEqual([]);
    expect(beats.at(-1)).toEqual({ batchesDone: 1 });
  });
});
