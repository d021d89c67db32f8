import { Migration } from '@mikro-orm/migrations';

export class Migration20261208010000 extends Migration {

  override async up(): Promise<void> {
    // The triage decision apart from the finding's lifecycle: a fixed finding that comes back
    // finds it again (status alone lost it), with who decided and when.
    this.addSql(`alter table "findings" add column "triage_status" varchar(16) null, add column "triaged_by_type" varchar(16) null, add column "triaged_by_id" text null, add column "triaged_at" timestamptz null;`);
    // A fixed finding kept the reason of the ignore it had; a reopened one has none.
    this.addSql(`update "findings" set "triage_status" = 'ignored' where "status" = 'ignored' or ("status" = 'fixed' and "triage_reason" is not null);`);
    // Who and when from the audit log, which recorded every decision.
    this.addSql(`update "findings" f set "triage_status" = coalesce(f."triage_status", 'open'), "triaged_by_type" = a."actor_type", "triaged_by_id" = a."actor_id", "triaged_at" = a."created_at"
      from (select distinct on ("target_id") "target_id", "actor_type", "actor_id", "created_at" from "audit_logs"
            where "target_type" = 'finding' and "action" in ('finding.ignored', 'finding.reopened')
            order by "target_id", "created_at" desc) a
      where a."target_id" = f."id"::text;`);
    // When the stored status must be judged again without a change (an ignore lapses then).
    this.addSql(`alter table "repositories" add column "status_reevaluate_at" timestamptz null;`);
    this.addSql(`create index "repositories_status_reevaluate_at_index" on "repositories" ("status_reevaluate_at") where "status_reevaluate_at" is not null;`);
    this.addSql(`update "repositories" r set "status_reevaluate_at" = f."lapses" from (select "repo_id", min("triage_expires_at") as "lapses" from "findings"
      where "status" = 'ignored' and "triage_expires_at" is not null group by "repo_id") f where f."repo_id" = r."id";`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "repositories_status_reevaluate_at_index";`);
    this.addSql(`alter table "repositories" drop column if exists "status_reevaluate_at";`);
    this.addSql(`update "findings" set "status" = 'fixed' where "status" = 'withdrawn';`);
    this.addSql(`alter table "findings" drop column if exists "triage_status", drop column if exists "triaged_by_type", drop column if exists "triaged_by_id", drop column if exists "triaged_at";`);
  }

}
