import type { PolicyRules } from './policy';

/** One version of an organisation's policy; a change adds a version, never edits one. */
export interface Policy {
  readonly orgId: string;
  readonly version: number;
  readonly rules: PolicyRules;
  readonly createdAt: Date;
  readonly createdBy: string | null;
}
