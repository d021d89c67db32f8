import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuditLogFilter, AuditLogQueries, AuditRecord } from '@repoguard/domain';
import { AuditLogEntity } from '../entities';

export class MikroOrmAuditLogQueries implements AuditLogQueries {
  constructor(private readonly em: EntityManager) {}

  async newestFirst(orgId: string, filter: AuditLogFilter, limit: number): Promise<AuditRecord[]> {
    const where: FilterQuery<AuditLogEntity>[] = [{ orgId }];
    if (filter.action) where.push({ action: filter.action });
    if (filter.actorId) where.push({ actorId: filter.actorId });
    if (filter.since) where.push({ createdAt: { $gte: filter.since } });
    if (filter.until) where.push({ createdAt: { $lt: filter.until } });
    if (filter.after) {
      const { createdAt, id } = filter.after;
      where.push({ $or: [{ createdAt: { $lt: createdAt } }, { createdAt, id: { $lt: id } }] });
    }
    const rows = await this.em.find(
      AuditLogEntity,
      { $and: where },
      { orderBy: { createdAt: 'desc', id: 'desc' }, limit },
    );
    return rows.map((row) => ({
      id: row.id,
      orgId: row.orgId,
      actorType: row.actorType,
      actorId: row.actorId,
      action: row.action,
      targetType: row.targetType,
      targetId: row.targetId,
      metadata: row.metadata,
      correlationId: row.correlationId,
      ip: row.ip,
      createdAt: row.createdAt,
    }));
  }
}
