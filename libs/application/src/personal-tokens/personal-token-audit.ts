import type { AuditTrail, PersonalTokenRecord } from '@repoguard/domain';
import type { Caller } from '../shared/caller';

/**
 * A personal token reaches every org of its user, so its creation and revocation are recorded in
 * each of them: the orgs the signed-in user's scope holds. A user of no org leaves no row (the
 * token reaches nothing).
 */
export function auditInEachOrg(
  audit: AuditTrail,
  caller: Caller,
  action: 'personal_token.created' | 'personal_token.revoked',
  token: PersonalTokenRecord,
): void {
  const orgIds = caller.scope === 'system' ? [] : caller.scope.orgIds;
  for (const orgId of orgIds) {
    audit.record(caller.actor, {
      orgId,
      action,
      targetType: 'personal_token',
      targetId: token.id,
      metadata: {
        name: token.name,
        prefix: token.prefix,
        expires_at: token.expiresAt?.toISOString() ?? null,
      },
    });
  }
}
