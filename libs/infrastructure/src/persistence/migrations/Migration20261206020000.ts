import { Migration } from '@mikro-orm/migrations';

export class Migration20261206020000 extends Migration {

  override async up(): Promise<void> {
    // One verdict per scan: a retried evaluatePolicy used to insert a second one. Duplicates
    // already stored keep the first verdict written.
    this.addSql(`delete from "policy_evaluations" p using "policy_evaluations" q
      where p."scan_id" = q."scan_id" and (p."created_at", p."id") > (q."created_at", q."id");`);
    this.addSql(`create unique index "policy_evaluations_scan_id_unique" on "policy_evaluations" ("scan_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "policy_evaluations_scan_id_unique";`);
  }

}
