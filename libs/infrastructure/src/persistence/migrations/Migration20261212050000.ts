import { Migration } from '@mikro-orm/migrations';
import { backfillSnapshotPackageKeys } from '../repositories/snapshot-package-keys';

/**
 * The package keys of the snapshots stored before the table existed, computed in JS by the
 * domain's normalisation (as the store computes them), never by a SQL imitation of it.
 */
export class Migration20261212050000 extends Migration {

  override async up(): Promise<void> {
    await backfillSnapshotPackageKeys((sql, params) => this.execute(sql, params));
    // Statistics now, not at autovacuum's leisure: without them the target lookup scanned the whole
    // key table (704 ms against 136 at 10,000 repositories) until the next analyze.
    await this.execute('analyze snapshot_package_keys');
  }

  override async down(): Promise<void> {
    this.addSql(`delete from "snapshot_package_keys";`);
  }

}
