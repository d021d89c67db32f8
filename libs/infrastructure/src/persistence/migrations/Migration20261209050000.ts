import { Migration } from '@mikro-orm/migrations';

/** Orgs' periodic rescans (one schedule per org), which the API's reconciler turns into Temporal Schedules. */
export class Migration20261209050000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "rescan_schedules" (
      "org_id" uuid not null references "organizations" ("id") on delete cascade,
      "frequency" varchar(16) not null check ("frequency" in ('daily', 'weekly')),
      "hour" smallint not null check ("hour" between 0 and 23),
      "weekday" smallint null check ("weekday" between 0 and 6),
      "timezone" varchar(64) not null,
      "updated_by" text null,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now(),
      constraint "rescan_schedules_pkey" primary key ("org_id"),
      constraint "rescan_schedules_weekday_weekly_check" check (("frequency" = 'weekly') = ("weekday" is not null)));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "rescan_schedules" cascade;`);
  }

}
