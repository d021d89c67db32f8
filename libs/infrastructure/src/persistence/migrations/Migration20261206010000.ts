import { Migration } from '@mikro-orm/migrations';

export class Migration20261206010000 extends Migration {

  override async up(): Promise<void> {
    // A row the API queued for the follow-up run of a run names that run: the reconciler follows
    // its continue-as-new to learn whether the scan can still be served.
    this.addSql(`alter table "scans" add column "promised_by_run_id" text null;`);
    // The reconciler's look-up: rows not final yet, oldest first.
    this.addSql(`create index "scans_unfinished_created_at_index" on "scans" ("created_at")
      where "status" not in ('COMPLETED', 'FAILED');`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "scans_unfinished_created_at_index";`);
    this.addSql(`alter table "scans" drop column if exists "promised_by_run_id";`);
  }

}
