// The policy endpoints the Policy page uses: GET/PUT /orgs/{org_id}/policies and the dry run.
import type { PolicyReason, RepoStatus } from '../api/api-types';

export const POLICY_SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const;
export const LIMIT_SEVERITIES = [...POLICY_SEVERITIES, 'UNKNOWN'] as const;

export interface IgnoreRule {
  id: string;
  reason: string;
  expires_at?: string;
}

export interface MaxFindingsRule {
  severity: string;
  max: number;
  action: 'warn' | 'fail';
}

/** As the API stores it (libs/domain/src/policy/policy.ts). */
export interface PolicyRules {
  schema_version: number;
  fail_on_severity?: string;
  warn_on_severity?: string;
  warn_on_unpinned?: boolean;
  fail_on_unpinned?: boolean;
  fail_on_incomplete?: boolean;
  fail_on_vulnerability_ids?: string[];
  ignore?: IgnoreRule[];
  max_findings?: MaxFindingsRule[];
}

export interface PolicyVersion {
  version: number;
  rules: PolicyRules;
  created_by: string | null;
  created_at: string;
}

export interface Policies {
  current: {
    version: number | null;
    rules: PolicyRules;
    created_by: string | null;
    created_at: string | null;
    default: boolean;
  };
  history: PolicyVersion[];
}

export interface DryRunRepo {
  repo_id: string;
  full_name: string;
  current_status: RepoStatus;
  status: RepoStatus;
  changed: boolean;
  judged: boolean;
  reasons: (PolicyReason & { findings: string[] })[];
}

export interface PolicyDryRun {
  rules: PolicyRules;
  current_version: number | null;
  changed: number;
  items: DryRunRepo[];
}

export const policiesPath = (orgId: string) => `/orgs/${orgId}/policies`;
export const dryRunPath = (orgId: string) => `/orgs/${orgId}/policies/dry-run`;
