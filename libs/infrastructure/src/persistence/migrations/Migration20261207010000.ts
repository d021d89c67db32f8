import { Migration } from '@mikro-orm/migrations';

export class Migration20261207010000 extends Migration {

  override async up(): Promise<void> {
    // Scans are ordered by when the database saw them start, not by the clock of the worker that
    // started them: workers' clocks disagree, and an older scan must never pass for a newer one.
    this.addSql(`create sequence "scans_start_seq" as bigint;`);
    this.addSql(`alter table "scans" add column "start_seq" bigint null;`);
    // Scans started before this migration keep the order their start times gave them.
    this.addSql(`update "scans" s set "start_seq" = o."seq"
      from (select "id", row_number() over (order by "started_at", "created_at", "id") as "seq"
              from "scans" where "started_at" is not null) o
      where s."id" = o."id";`);
    this.addSql(`select setval('scans_start_seq', coalesce((select max("start_seq") from "scans"), 0) + 1, false);`);
    this.addSql(`alter sequence "scans_start_seq" owned by "scans"."start_seq";`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "scans" drop column if exists "start_seq";`);
    this.addSql(`drop sequence if exists "scans_start_seq";`);
  }

}
