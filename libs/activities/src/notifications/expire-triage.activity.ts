import { ApplicationFailure } from '@temporalio/common';
import type { ExpireTriage, ExpireTriageOutcome } from '@repoguard/application';
import type { ExpireTriageInput } from '@repoguard/contract';
import { toActivityFailure } from '../as-activity';

export interface ExpireTriageDeps {
  readonly expireTriage: ExpireTriage;
}

/** The expiry timer's one step: reopens the finding at its ignore's expiry, once (ExpireTriage). */
export function createExpireTriageActivity(deps: ExpireTriageDeps) {
  return async function expireTriage(input: ExpireTriageInput): Promise<ExpireTriageOutcome> {
    const expiresAt = new Date(input.expiresAt);
    if (Number.isNaN(expiresAt.getTime())) {
      throw ApplicationFailure.nonRetryable(`not a time: ${input.expiresAt}`, 'INVALID_EXPIRY');
    }
    try {
      return await deps.expireTriage.execute({ findingId: input.findingId, expiresAt });
    } catch (error) {
      throw toActivityFailure(error);
    }
  };
}
