import type { PolicyRules } from './policy';

/** One saved version of an org's policy; a change adds the next version, none is ever edited. */
export interface PolicyVersion {
  readonly orgId: string;
  readonly version: number;
  readonly rules: PolicyRules;
  readonly createdBy: string | null;
  readonly createdAt: Date;
}

export type NewPolicyVersion = Pick<PolicyVersion, 'orgId' | 'version' | 'rules' | 'createdBy'>;

export interface PolicyVersionRepository {
  latest(orgId: string): Promise<PolicyVersion | null>;
  /** Every version, newest first. */
  history(orgId: string): Promise<PolicyVersion[]>;
  /** Queued with the unit of work; a version saved meanwhile makes it fail as a unique violation. */
  add(version: NewPolicyVersion): PolicyVersion;
}
