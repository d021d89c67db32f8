import type { EntityManager } from '@mikro-orm/postgresql';
import type { ApiKeyHolder, CredentialLookup, PersonalTokenHolder, Role } from '@repoguard/domain';

/** Plain SQL through the ORM's connection: no entities, no tenant filter (identity comes first). */
export class MikroOrmCredentialLookup implements CredentialLookup {
  constructor(private readonly em: EntityManager) {}

  async personalToken(tokenHash: string): Promise<PersonalTokenHolder | null> {
    const rows: {
      token_id: string;
      user_id: string;
      expires_at: string | Date | null;
      org_id: string | null;
      role: Role | null;
      limit: number | null;
    }[] = await this.em
      .getKnex()('personal_tokens as t')
      .leftJoin('memberships as m', 'm.user_id', 't.user_id')
      // A deleted org is no membership, whatever rows remain.
      .leftJoin('organizations as o', (join) => join.on('o.id', 'm.org_id').andOnNull('o.deleted_at'))
      .where({ 't.token_hash': tokenHash })
      .whereNull('t.revoked_at')
      .select(
        't.id as token_id',
        't.user_id',
        't.expires_at',
        'o.id as org_id',
        'm.role',
        'o.rate_limit_per_minute as limit',
      );
    const first = rows[0];
    if (!first) return null;
    return {
      tokenId: first.token_id,
      userId: first.user_id,
      expiresAt: first.expires_at === null ? null : new Date(first.expires_at),
      memberships: rows.flatMap((r) =>
        r.org_id !== null && r.role !== null
          ? [{ orgId: r.org_id, role: r.role, rateLimitPerMinute: r.limit }]
          : [],
      ),
    };
  }

  async markPersonalTokenUsed(tokenId: string, at: Date): Promise<void> {
    // Once a minute at most: a busy token does not turn every request into a row write.
    await this.em
      .getKnex()('personal_tokens')
      .where({ id: tokenId })
      .andWhereRaw('(last_used_at is null or last_used_at < ?)', [new Date(at.getTime() - 60_000)])
      .update({ last_used_at: at });
  }

  async apiKey(tokenHash: string): Promise<ApiKeyHolder | null> {
    const key:
      | { id: string; org_id: string; role: Role; expires_at: string | Date | null; limit: number | null }
      | undefined = await this.em
      .getKnex()('api_keys as k')
      .join('organizations as o', 'o.id', 'k.org_id')
      .where({ 'k.token_hash': tokenHash })
      .whereNull('k.revoked_at')
      .whereNull('o.deleted_at')
      .first('k.id', 'k.org_id', 'k.role', 'k.expires_at', 'o.rate_limit_per_minute as limit');
    if (!key) return null;
    return {
      keyId: key.id,
      orgId: key.org_id,
      role: key.role,
      // MikroORM's pg driver hands timestamps back as text.
      expiresAt: key.expires_at === null ? null : new Date(key.expires_at),
      rateLimitPerMinute: key.limit,
    };
  }
}
