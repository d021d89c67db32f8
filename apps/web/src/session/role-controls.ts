import type { Role } from '../api/api-types';

/** Controls that change something; a viewer sees none of them. */
export type Control =
  | 'findings.triage'
  | 'scans.trigger'
  | 'policies.update'
  | 'members.invite'
  | 'api_keys.manage'
  | 'audit.read';

// Mirrors PERMISSION_MATRIX (libs/domain/src/identity/role.value-object.ts) for the controls the
// dashboard draws. Hiding is a courtesy: the API refuses the same calls to the same roles.
const WRITERS: readonly Control[] = [
  'findings.triage',
  'scans.trigger',
  'policies.update',
  'members.invite',
  'api_keys.manage',
  'audit.read',
];
const CONTROLS: Readonly<Record<Role, ReadonlySet<Control>>> = {
  owner: new Set(WRITERS),
  admin: new Set(WRITERS),
  viewer: new Set(),
};

export function canUse(role: Role | null, control: Control): boolean {
  return role !== null && CONTROLS[role].has(control);
}
