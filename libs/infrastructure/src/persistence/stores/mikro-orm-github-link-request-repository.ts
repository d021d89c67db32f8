import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { GithubLinkRequest, GithubLinkRequestRepository, NewGithubLinkRequest } from '@repoguard/domain';
import { GithubLinkRequestEntity } from '../entities';

const recordOf = (row: GithubLinkRequestEntity): GithubLinkRequest => ({
  id: row.id,
  orgId: row.orgId,
  requestedBy: row.requestedBy,
  // MikroORM hands bigint columns back as BigInt.
  installationId: row.installationId === null ? null : String(row.installationId),
  expiresAt: row.expiresAt,
  usedAt: row.usedAt,
});

export class MikroOrmGithubLinkRequestRepository implements GithubLinkRequestRepository {
  constructor(private readonly em: EntityManager) {}

  add(request: NewGithubLinkRequest): GithubLinkRequest {
    return recordOf(this.em.create(GithubLinkRequestEntity, { ...request }));
  }

  async lockByStateHash(stateHash: string): Promise<GithubLinkRequest | null> {
    const row = await this.em.findOne(
      GithubLinkRequestEntity,
      { stateHash },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    return row ? recordOf(row) : null;
  }

  async markUsed(id: string, at: Date): Promise<void> {
    const row = await this.em.findOneOrFail(GithubLinkRequestEntity, { id });
    row.usedAt = at;
  }
}
