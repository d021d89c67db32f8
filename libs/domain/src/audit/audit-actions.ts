/** Every change the API makes is recorded under one of these actions. */
export const AUDIT_ACTIONS = [
  'org.created',
  'org.updated',
  'org.deleted',
  'member.invited',
  'member.joined',
  'member.role_changed',
  'member.removed',
  'api_key.created',
  'api_key.revoked',
  'repo.connected',
  'repo.disconnected',
  'repo.updated',
  'scan.requested',
  'finding.ignored',
  'finding.reopened',
  'policy.updated',
  'github_token.set',
  'github_token.removed',
  'github_installation.linked',
  'github_installation.revoked',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
