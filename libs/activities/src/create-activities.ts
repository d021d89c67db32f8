import { createProbeDatabaseActivity, type ProbeDatabaseDeps } from './self-check/probe-database.activity';

export type ActivityDeps = ProbeDatabaseDeps;

/**
 * The worker registers exactly what this returns; workflows see it only as a type
 * (`proxyActivities<Activities>`), so activity code never enters the workflow bundle.
 */
export function createActivities(deps: ActivityDeps) {
  return {
    probeDatabase: createProbeDatabaseActivity(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
