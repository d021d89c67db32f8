import { Migration } from '@mikro-orm/migrations';

/**
 * Pull-request checks (one row per head commit of a pull request, with the comparison it published)
 * and risk acceptances (the check run's "Accept risk" action, in force until their expiry).
 */
export class Migration20261211010000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "pull_request_checks" (
      "id" uuid not null,
      "org_id" uuid not null references "organizations" ("id") on delete cascade,
      "repo_id" uuid not null references "repositories" ("id") on delete cascade,
      "pr_number" integer not null check ("pr_number" > 0),
      "head_sha" varchar(64) not null,
      "base_ref" text not null,
      "base_sha" varchar(64) null,
      "state" varchar(16) not null default 'queued' check ("state" in ('queued', 'in_progress', 'completed', 'superseded', 'failed')),
      "conclusion" varchar(16) null check ("conclusion" in ('failure', 'neutral', 'success')),
      "delivery" varchar(16) null check ("delivery" in ('check_run', 'commit_status')),
      "check_run_id" varchar(32) null,
      "comparison" jsonb null,
      "error_code" varchar(64) null,
      "requested_by" text not null,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now(),
      "completed_at" timestamptz null,
      constraint "pull_request_checks_pkey" primary key ("id"),
      constraint "pull_request_checks_repo_pr_head_unique" unique ("repo_id", "pr_number", "head_sha"));`);
    this.addSql(`create index "pull_request_checks_org_id_index" on "pull_request_checks" ("org_id");`);
    this.addSql(`create index "pull_request_checks_check_run_index" on "pull_request_checks" ("repo_id", "check_run_id") where "check_run_id" is not null;`);

    this.addSql(`create table "risk_acceptances" (
      "id" uuid not null,
      "org_id" uuid not null references "organizations" ("id") on delete cascade,
      "repo_id" uuid not null references "repositories" ("id") on delete cascade,
      "vulnerability_id" text not null,
      "ecosystem" varchar(32) not null,
      "package_name" text not null,
      "reason" text not null,
      "accepted_by" text not null,
      "expires_at" timestamptz not null,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now(),
      constraint "risk_acceptances_pkey" primary key ("id"),
      constraint "risk_acceptances_key_unique" unique ("repo_id", "vulnerability_id", "ecosystem", "package_name"));`);
    this.addSql(`create index "risk_acceptances_org_id_index" on "risk_acceptances" ("org_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "risk_acceptances" cascade;`);
    this.addSql(`drop table if exists "pull_request_checks" cascade;`);
  }

}
