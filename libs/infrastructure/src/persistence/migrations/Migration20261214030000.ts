import { Migration } from '@mikro-orm/migrations';

/**
 * The overview's 90-day trend: each repository's open findings per severity at the end of each UTC
 * day it changed (a day without a row carries the one before). Today's row of every repository is
 * filled from its findings as they are, so the trend starts from real counts, not zeros. (The
 * index for the org's recent scans is Migration20261214040000's, built CONCURRENTLY.)
 */
export class Migration20261214030000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "open_finding_days" (
      "repo_id" uuid not null,
      "day" date not null,
      "org_id" uuid not null,
      "critical" int not null,
      "high" int not null,
      "medium" int not null,
      "low" int not null,
      "unknown" int not null,
      "recorded_at" timestamptz not null,
      constraint "open_finding_days_pkey" primary key ("repo_id", "day"));`);
    this.addSql(`create index "open_finding_days_org_id_repo_id_day_index" on "open_finding_days" ("org_id", "repo_id", "day");`);
    this.addSql(`insert into "open_finding_days" ("repo_id", "day", "org_id", "critical", "high", "medium", "low", "unknown", "recorded_at")
      select r.id, (now() at time zone 'utc')::date, r.org_id,
        count(f.id) filter (where f.severity = 'CRITICAL'),
        count(f.id) filter (where f.severity = 'HIGH'),
        count(f.id) filter (where f.severity = 'MEDIUM'),
        count(f.id) filter (where f.severity = 'LOW'),
        count(f.id) filter (where f.severity not in ('CRITICAL', 'HIGH', 'MEDIUM', 'LOW')),
        now()
      from "repositories" r
      left join "findings" f on f.repo_id = r.id
        and (f.status = 'open' or (f.status = 'ignored' and f.triage_expires_at <= now()))
      group by r.id, r.org_id;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "open_finding_days";`);
  }

}
