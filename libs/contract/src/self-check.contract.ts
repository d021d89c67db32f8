/**
 * The self-check workflow proves the whole chain (API or CLI → Temporal → worker → PostgreSQL)
 * works. It is the first workflow the worker registers; scans follow the same pattern.
 */
export const SELF_CHECK_WORKFLOW = 'selfCheckWorkflow';

export interface SelfCheckInput {
  /** Free text echoed back, so a caller can tell its run from another. */
  readonly nonce: string;
  /** Organization the check is run for; recorded as a search attribute. */
  readonly orgId: string;
}

export interface SelfCheckResult {
  readonly nonce: string;
  readonly database: { readonly serverTime: string; readonly appliedMigrations: number };
  readonly checkedBy: string;
}
