import type { PolicyRules } from './policy';

/** Organisations' policies, versioned. */
export interface PolicyRepository {
  current(orgId: string): Promise<{ version: number; rules: PolicyRules } | null>;
}
