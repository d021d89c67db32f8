import type { AuditLogFilter, AuditPosition, AuditRecord, UnitOfWork } from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';

export interface ListAuditLogCommand extends AuditLogFilter {
  readonly caller: OrgCaller;
  readonly limit: number;
}

export interface AuditLogPage {
  readonly items: AuditRecord[];
  /** Where the next (older) page starts; null on the last page. */
  readonly next: AuditPosition | null;
}

/** The org's audit rows, newest first, a page at a time. */
export class ListAuditLog {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ caller, limit, ...filter }: ListAuditLogCommand): Promise<AuditLogPage> {
    // One row more than asked tells whether there is a next page.
    const rows = await this.uow.read(caller.scope, ({ auditLog }) =>
      auditLog.newestFirst(caller.orgId, filter, limit + 1),
    );
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items, next: rows.length > limit && last ? { createdAt: last.createdAt, id: last.id } : null };
  }
}
