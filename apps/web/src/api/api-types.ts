// The parts of the API's answers the dashboard reads (see /docs/openapi.json for the whole).

export type Role = 'owner' | 'admin' | 'viewer';

export interface CurrentIdentity {
  kind: 'user' | 'api_key' | 'instance_admin';
  user: { id: string; email: string | null } | null;
  api_key: { id: string; name: string; org_id: string; role: Role } | null;
  orgs: { id: string; role: Role }[];
  token: { type: 'personal' | 'api_key' | 'admin'; name: string | null; expires_at: string | null };
}

export interface MyOrg {
  id: string;
  name: string;
  slug: string;
  role: Role;
}

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'unknown'] as const;
export type Severity = (typeof SEVERITIES)[number];

export type OpenFindingCounts = Record<Severity | 'total', number>;

export const REPO_STATUSES = ['FAIL', 'WARN', 'OK', 'PENDING', 'ERROR'] as const;
export type RepoStatus = (typeof REPO_STATUSES)[number];

export interface Repo {
  id: string;
  full_name: string;
  provider: string;
  status: RepoStatus;
  last_scan_at: string | null;
  disabled: { at: string; reason: string | null } | null;
  open_findings: OpenFindingCounts;
}

export interface PolicyReason {
  rule: string;
  status: 'WARN' | 'FAIL';
  message: string;
}

export interface PolicyEvaluation {
  repo_id: string;
  status: 'OK' | 'WARN' | 'FAIL';
  reasons: PolicyReason[];
}
