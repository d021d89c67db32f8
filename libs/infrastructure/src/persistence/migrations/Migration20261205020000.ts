import { Migration } from '@mikro-orm/migrations';

export class Migration20261205020000 extends Migration {

  override async up(): Promise<void> {
    // The writing transaction's id orders mirror writes by commit visibility, which now() cannot.
    this.addSql(`alter table "mirrored_advisories" add column "written_xid" xid8 not null default pg_current_xact_id();`);
    this.addSql(`create index "mirrored_advisories_written_xid_index" on "mirrored_advisories" ("written_xid");`);
    this.addSql(`alter table "findings" add column "advisory_diagnostics" jsonb not null default '[]';`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "mirrored_advisories_written_xid_index";`);
    this.addSql(`alter table "mirrored_advisories" drop column if exists "written_xid";`);
    this.addSql(`alter table "findings" drop column if exists "advisory_diagnostics";`);
  }

}
