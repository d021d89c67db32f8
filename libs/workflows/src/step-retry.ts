/** The steps' retry policy: 1 s doubling up to a minute, `maximumAttempts` tries in all. */
export const stepRetry = (maximumAttempts: number) =>
  ({
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts,
  }) as const;
