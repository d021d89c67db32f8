import { ValidationError } from '../errors';

export const ROLES = ['owner', 'admin', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'org.read',
  'org.delete',
  'org.update',
  'members.read',
  'members.invite',
  'members.manage_owners',
  'repos.read',
  'repos.connect',
  'repos.disconnect',
  'scans.read',
  'scans.trigger',
  'findings.read',
  'findings.triage',
  'policies.read',
  'policies.update',
  'api_keys.manage',
  'audit.read',
  'notifications.manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const VIEWER: readonly Permission[] = [
  'org.read',
  'members.read',
  'repos.read',
  'scans.read',
  'findings.read',
  'policies.read',
];
const ADMIN: readonly Permission[] = [
  ...VIEWER,
  'members.invite',
  'repos.connect',
  'repos.disconnect',
  'scans.trigger',
  'findings.triage',
  'policies.update',
  'api_keys.manage',
  'audit.read',
  'notifications.manage',
];
const OWNER: readonly Permission[] = [...ADMIN, 'members.manage_owners', 'org.update', 'org.delete'];

/** viewer reads; admin also changes repos, scans, findings, policies, keys, invites; owner also manages owners and deletes the org. */
export const PERMISSION_MATRIX: Readonly<Record<Role, ReadonlySet<Permission>>> = {
  owner: new Set(OWNER),
  admin: new Set(ADMIN),
  viewer: new Set(VIEWER),
};

export function can(role: Role, permission: Permission): boolean {
  return PERMISSION_MATRIX[role].has(permission);
}

/** An admin may grant admin or viewer; only an owner may grant owner. */
export function canGrant(granter: Role, granted: Role): boolean {
  if (granted === 'owner') return granter === 'owner';
  return can(granter, 'members.invite');
}

export function parseRole(value: string, field = 'role'): Role {
  const role = value.trim().toLowerCase();
  if ((ROLES as readonly string[]).includes(role)) return role as Role;
  throw new ValidationError(`Unknown role "${value}"`, [
    { field, problem: `must be one of ${ROLES.join(', ')}` },
  ]);
}
