import type { Ecosystem } from '../ecosystem/ecosystem.value-object';

/** How long the check run's "Accept risk" action accepts a finding for. */
export const ACCEPT_RISK_DAYS = 30;
/** The requested action's identifier (GitHub allows at most 20 characters). */
export const ACCEPT_RISK_ACTION = 'accept_risk_30d';

/**
 * An org's decision that one vulnerability in one package of one repository is an accepted risk
 * until `expiresAt`: a pull request that introduces it is not judged on it, and the default branch's
 * finding, when it appears, is born triaged as ignored until the same expiry.
 */
export interface RiskAcceptance {
  readonly id: string;
  readonly orgId: string;
  readonly repoId: string;
  readonly vulnerabilityId: string;
  readonly ecosystem: Ecosystem;
  readonly packageName: string;
  readonly reason: string;
  /** `github:<login>` for the check run action, `user:<id>` through the API. */
  readonly acceptedBy: string;
  readonly expiresAt: Date;
  readonly createdAt: Date;
}
