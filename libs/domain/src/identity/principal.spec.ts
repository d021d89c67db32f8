import { ForbiddenError, NotFoundError } from '../errors';
import { actorOf, authorize, type Principal } from './principal';
import {
  assertMayChangeMember,
  assertMayGrant,
  assertMayRevokeApiKey,
  assertOwnerRemains,
} from './membership-rules';
import { tokenKindOf } from './token-kind';

const ORG = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';
const user = (role: 'owner' | 'admin' | 'viewer'): Principal => ({
  kind: 'user',
  id: 'u1',
  tokenId: 't1',
  roles: new Map([[ORG, role]]),
});

describe('authorize', () => {
  it('returns the role when it has the permission', () => {
    expect(authorize(user('viewer'), ORG, 'findings.read')).toBe('viewer');
    expect(authorize(user('admin'), ORG, 'scans.trigger')).toBe('admin');
  });

  it('answers 403 for a member whose role lacks the permission', () => {
    expect(() => authorize(user('viewer'), ORG, 'scans.trigger')).toThrow(ForbiddenError);
    expect(() => authorize(user('admin'), ORG, 'org.update')).toThrow(ForbiddenError);
  });

  it('answers not found (never forbidden) for an org the caller does not belong to', () => {
    expect(() => authorize(user('owner'), OTHER, 'repos.read')).toThrow(NotFoundError);
  });

  it('tells the instance admin token what it may do instead of answering not found', () => {
    const admin: Principal = { kind: 'instance_admin', id: null, tokenId: 'x', roles: new Map() };
    expect(() => authorize(admin, ORG, 'repos.read')).toThrow(
      expect.objectContaining({
        code: 'ADMIN_TOKEN_ORG_ROUTE',
        message: expect.stringMatching(/only creates organizations/),
      }),
    );
  });

  it('names API keys and the instance admin as actors of their own type', () => {
    expect(actorOf({ ...user('admin'), kind: 'api_key', id: 'k1' })).toEqual({
      actorType: 'api_key',
      actorId: 'k1',
    });
    expect(actorOf({ kind: 'instance_admin', id: null, tokenId: 'x', roles: new Map() })).toEqual({
      actorType: 'system',
      actorId: 'instance-admin',
    });
  });
});

describe('membership rules', () => {
  it('refuses to demote or remove the last owner, and allows it when another owner remains', () => {
    expect(() => assertOwnerRemains(1, 'owner', 'admin')).toThrow(
      expect.objectContaining({ code: 'LAST_OWNER' }),
    );
    expect(() => assertOwnerRemains(1, 'owner', null)).toThrow(
      expect.objectContaining({ code: 'LAST_OWNER' }),
    );
    expect(() => assertOwnerRemains(2, 'owner', null)).not.toThrow();
    expect(() => assertOwnerRemains(1, 'admin', null)).not.toThrow();
    expect(() => assertOwnerRemains(1, 'owner', 'owner')).not.toThrow();
  });

  it('lets an admin grant admin and viewer but not owner, and not touch owners', () => {
    expect(() => assertMayGrant('admin', 'viewer')).not.toThrow();
    expect(() => assertMayGrant('admin', 'admin')).not.toThrow();
    expect(() => assertMayGrant('admin', 'owner')).toThrow(ForbiddenError);
    expect(() => assertMayGrant('viewer', 'viewer')).toThrow(ForbiddenError);
    expect(() => assertMayChangeMember('admin', 'owner', 'viewer')).toThrow(ForbiddenError);
    expect(() => assertMayChangeMember('admin', 'viewer', 'owner')).toThrow(ForbiddenError);
    expect(() => assertMayChangeMember('admin', 'viewer', 'admin')).not.toThrow();
    expect(() => assertMayChangeMember('owner', 'owner', 'viewer')).not.toThrow();
  });

  it('lets an admin revoke admin and viewer keys but not an owner key; an owner any', () => {
    expect(() => assertMayRevokeApiKey('admin', 'owner')).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN', message: expect.stringContaining('owner role') }),
    );
    expect(() => assertMayRevokeApiKey('admin', 'admin')).not.toThrow();
    expect(() => assertMayRevokeApiKey('admin', 'viewer')).not.toThrow();
    expect(() => assertMayRevokeApiKey('owner', 'owner')).not.toThrow();
    expect(() => assertMayRevokeApiKey('viewer', 'viewer')).toThrow(ForbiddenError);
  });
});

describe('tokenKindOf', () => {
  it('recognises each prefix and nothing else', () => {
    expect(tokenKindOf('rg_pat_abc')).toBe('personal');
    expect(tokenKindOf('rg_key_abc')).toBe('api_key');
    expect(tokenKindOf('rg_inv_abc')).toBe('invitation');
    expect(tokenKindOf('rg_pat_')).toBeNull();
    expect(tokenKindOf('ghp_abc')).toBeNull();
  });
});
