import { Migration } from '@mikro-orm/migrations';

/**
 * Which snapshots hold which (ecosystem, normalised name): re-match targets are found by an
 * advisory's key, among 10,000 repositories, without reading their dependencies. Keyed by the
 * lookup; the snapshot index serves the cascade.
 */
export class Migration20261212040000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "snapshot_package_keys" ("snapshot_id" uuid not null, "ecosystem" varchar(32) not null, "name_key" text not null, constraint "snapshot_package_keys_pkey" primary key ("ecosystem", "name_key", "snapshot_id"));`);
    this.addSql(`alter table "snapshot_package_keys" add constraint "snapshot_package_keys_snapshot_id_foreign" foreign key ("snapshot_id") references "dependency_snapshots" ("id") on delete cascade;`);
    this.addSql(`create index "snapshot_package_keys_snapshot_id_index" on "snapshot_package_keys" ("snapshot_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "snapshot_package_keys" cascade;`);
  }

}
