// The endpoints the Settings page uses: members and invitations (apps/api/src/orgs), API keys
// (apps/api/src/api-keys) and the audit log (apps/api/src/audit).
import type { Role } from '../api/api-types';

export { AUDIT_ACTIONS } from '../../../../libs/domain/src/audit/audit-actions';

export interface Member {
  user_id: string;
  email: string | null;
  role: Role;
  joined_at: string;
}

export interface PendingInvitation {
  id: string;
  email: string;
  role: Role;
  invited_by: string | null;
  created_at: string;
  expires_at: string;
}

export interface CreatedInvitation {
  id: string;
  email: string;
  role: Role;
  token: string;
  accept_path: string;
  expires_at: string;
}

export interface ApiKey {
  id: string;
  org_id: string;
  name: string;
  role: Role;
  prefix: string;
  expires_at: string | null;
  revoked_at: string | null;
  created_at: string;
}

export interface CreatedApiKey extends ApiKey {
  key: string;
}

export interface AuditEntry {
  id: string;
  actor_type: 'user' | 'api_key' | 'system' | 'webhook';
  actor_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  metadata: Record<string, unknown>;
  created_at: string;
}

export interface AuditPage {
  items: AuditEntry[];
  next_cursor: string | null;
}

export const membersPath = (orgId: string) => `/orgs/${orgId}/members`;
export const invitationsPath = (orgId: string) => `/orgs/${orgId}/invitations`;
export const invitePath = (orgId: string) => `/orgs/${orgId}/invite`;
export const apiKeysPath = (orgId: string) => `/auth/api-keys?org_id=${encodeURIComponent(orgId)}`;
export const auditPath = (orgId: string) => `/orgs/${orgId}/audit-logs`;

export const ROLE_WORDS: Record<Role, string> = {
  owner: 'owner (everything, including owners and deleting the org)',
  admin: 'admin (repositories, scans, triage, policy, keys, invitations)',
  viewer: 'viewer (reads only)',
};

/** The roles `granter` may give: only an owner makes owners (canGrant in libs/domain). */
export const grantable = (granter: Role | null): Role[] =>
  granter === 'owner' ? ['owner', 'admin', 'viewer'] : granter === 'admin' ? ['admin', 'viewer'] : [];
