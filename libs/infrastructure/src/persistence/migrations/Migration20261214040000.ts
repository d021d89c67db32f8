import { Migration } from '@mikro-orm/migrations';
import { rebuildIndexConcurrently } from './concurrent-index';

const INDEX = 'scans_org_id_created_at_index';

/**
 * The org's recent scans (the overview) are read by (org_id, created_at). The index is built
 * CONCURRENTLY, so scans keep being written while it builds on a large installation; an earlier
 * version of Migration20261214030000 built it in its transaction, and where that ran, the index is
 * rebuilt the same way (same columns, nothing blocked).
 */
export class Migration20261214040000 extends Migration {
  /** CONCURRENTLY refuses to run inside a transaction block. */
  override isTransactional(): boolean {
    return false;
  }

  override async up(): Promise<void> {
    for (const sql of rebuildIndexConcurrently('scans', INDEX, ['org_id', 'created_at'])) this.addSql(sql);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index concurrently if exists "${INDEX}";`);
  }
}
