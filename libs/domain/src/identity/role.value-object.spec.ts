import { can, canGrant, parseRole, PERMISSIONS, type Permission, type Role } from './role.value-object';

describe('roles', () => {
  const reads: Permission[] = [
    'org.read',
    'members.read',
    'repos.read',
    'scans.read',
    'findings.read',
    'policies.read',
  ];
  const adminWrites: Permission[] = [
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
  const ownerOnly: Permission[] = ['members.manage_owners', 'org.update', 'org.delete'];

  it('covers every permission in exactly one tier', () => {
    expect([...reads, ...adminWrites, ...ownerOnly].sort()).toEqual([...PERMISSIONS].sort());
  });

  it.each<[Role, Permission[], Permission[]]>([
    ['viewer', reads, [...adminWrites, ...ownerOnly]],
    ['admin', [...reads, ...adminWrites], ownerOnly],
    ['owner', [...reads, ...adminWrites, ...ownerOnly], []],
  ])('%s', (role, allowed, denied) => {
    for (const p of allowed) expect([p, can(role, p)]).toEqual([p, true]);
    for (const p of denied) expect([p, can(role, p)]).toEqual([p, false]);
  });

  it('lets only an owner grant owner', () => {
    expect(canGrant('owner', 'owner')).toBe(true);
    expect(canGrant('admin', 'owner')).toBe(false);
    expect(canGrant('admin', 'admin')).toBe(true);
    expect(canGrant('admin', 'viewer')).toBe(true);
    expect(canGrant('viewer', 'viewer')).toBe(false);
  });

  it('parses roles case-insensitively and rejects others naming the field', () => {
    expect(parseRole(' Admin ')).toBe('admin');
    expect(() => parseRole('superuser')).toThrow(/Unknown role/);
  });
});
