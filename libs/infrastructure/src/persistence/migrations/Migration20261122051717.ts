import { Migration } from '@mikro-orm/migrations';

export class Migration20261122051717 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "audit_logs" ("id" uuid not null, "org_id" uuid not null, "actor_type" varchar(16) not null, "actor_id" text null, "action" varchar(64) not null, "target_type" varchar(32) not null, "target_id" text null, "metadata" jsonb not null, "correlation_id" text null, "ip" text null, "created_at" timestamptz not null default now(), constraint "audit_logs_pkey" primary key ("id"));`);
    this.addSql(`create index "audit_logs_org_id_created_at_index" on "audit_logs" ("org_id", "created_at");`);

    this.addSql(`create table "dependencies" ("id" uuid not null, "org_id" uuid not null, "snapshot_id" uuid not null, "ecosystem" varchar(32) not null, "name" text not null, "version" text null, "specifier" text null, "scope" varchar(16) not null, "direct" boolean not null, "manifest_path" text not null, "line" int null, "purl" text not null, constraint "dependencies_pkey" primary key ("id"));`);
    this.addSql(`create index "dependencies_org_id_index" on "dependencies" ("org_id");`);
    this.addSql(`create index "dependencies_snapshot_id_index" on "dependencies" ("snapshot_id");`);
    this.addSql(`create index "dependencies_ecosystem_name_index" on "dependencies" ("ecosystem", "name");`);

    this.addSql(`create table "dependency_matches" ("snapshot_id" uuid not null, "dependency_id" uuid not null, "vulnerability_id" varchar(128) not null, constraint "dependency_matches_pkey" primary key ("snapshot_id", "dependency_id", "vulnerability_id"));`);

    this.addSql(`create table "dependency_snapshots" ("id" uuid not null, "org_id" uuid not null, "repo_id" uuid not null, "commit_sha" varchar(64) not null, "manifests" jsonb not null, "created_at" timestamptz not null default now(), constraint "dependency_snapshots_pkey" primary key ("id"));`);
    this.addSql(`create index "dependency_snapshots_org_id_index" on "dependency_snapshots" ("org_id");`);
    this.addSql(`alter table "dependency_snapshots" add constraint "dependency_snapshots_repo_id_commit_sha_unique" unique ("repo_id", "commit_sha");`);

    this.addSql(`create table "findings" ("id" uuid not null, "org_id" uuid not null, "repo_id" uuid not null, "ecosystem" varchar(32) not null, "package_name" text not null, "version" text not null, "manifest_path" text not null, "vulnerability_id" varchar(128) not null, "aliases" jsonb not null, "severity" varchar(16) not null, "cvss_score" double precision null, "fixed_versions" jsonb not null, "status" varchar(16) not null default 'open', "triage_reason" text null, "triage_expires_at" timestamptz null, "last_snapshot_id" uuid not null, "first_seen" timestamptz not null, "last_seen" timestamptz not null, "fixed_at" timestamptz null, constraint "findings_pkey" primary key ("id"));`);
    this.addSql(`create index "findings_org_id_index" on "findings" ("org_id");`);
    this.addSql(`create index "findings_repo_id_status_severity_index" on "findings" ("repo_id", "status", "severity");`);
    this.addSql(`alter table "findings" add constraint "findings_identity_unique" unique ("repo_id", "ecosystem", "package_name", "version", "manifest_path", "vulnerability_id");`);

    this.addSql(`create table "manifest_blobs" ("sha" varchar(64) not null, "size" int not null, "content" bytea not null, "created_at" timestamptz not null default now(), constraint "manifest_blobs_pkey" primary key ("sha"));`);

    this.addSql(`create table "memberships" ("org_id" uuid not null, "user_id" uuid not null, "role" varchar(16) not null, "created_at" timestamptz not null default now(), constraint "memberships_pkey" primary key ("org_id", "user_id"));`);
    this.addSql(`create index "memberships_user_id_index" on "memberships" ("user_id");`);

    this.addSql(`create table "policies" ("org_id" uuid not null, "version" int not null, "rules" jsonb not null, "created_by" text null, "created_at" timestamptz not null default now(), constraint "policies_pkey" primary key ("org_id", "version"));`);

    this.addSql(`create table "policy_evaluations" ("id" uuid not null, "org_id" uuid not null, "repo_id" uuid not null, "snapshot_id" uuid not null, "scan_id" uuid null, "policy_version" int null, "status" varchar(8) not null, "reasons" jsonb not null, "created_at" timestamptz not null default now(), constraint "policy_evaluations_pkey" primary key ("id"));`);
    this.addSql(`create index "policy_evaluations_org_id_index" on "policy_evaluations" ("org_id");`);
    this.addSql(`create index "policy_evaluations_repo_id_created_at_index" on "policy_evaluations" ("repo_id", "created_at");`);

    this.addSql(`create table "repositories" ("id" uuid not null, "org_id" uuid not null, "provider" varchar(16) not null default 'github', "owner" varchar(100) not null, "name" varchar(100) not null, "external_id" bigint null, "default_branch" varchar(255) not null, "status" varchar(16) not null default 'PENDING', "last_scan_at" timestamptz null, "created_at" timestamptz not null default now(), constraint "repositories_pkey" primary key ("id"));`);
    this.addSql(`create index "repositories_org_id_index" on "repositories" ("org_id");`);
    this.addSql(`alter table "repositories" add constraint "repositories_org_id_provider_owner_name_unique" unique ("org_id", "provider", "owner", "name");`);

    this.addSql(`create table "scans" ("id" uuid not null, "org_id" uuid not null, "repo_id" uuid not null, "workflow_id" text not null, "run_id" text not null, "trigger" varchar(16) not null, "requested_by" text null, "commit_sha" varchar(64) null, "ref" text null, "snapshot_id" uuid null, "status" varchar(16) not null, "phase_timings" jsonb not null, "counts" jsonb not null, "error_code" varchar(64) null, "error_message" text null, "started_at" timestamptz null, "completed_at" timestamptz null, "created_at" timestamptz not null default now(), constraint "scans_pkey" primary key ("id"));`);
    this.addSql(`create index "scans_org_id_index" on "scans" ("org_id");`);
    this.addSql(`create index "scans_repo_id_created_at_index" on "scans" ("repo_id", "created_at");`);
    this.addSql(`alter table "scans" add constraint "scans_workflow_id_run_id_unique" unique ("workflow_id", "run_id");`);

    this.addSql(`create table "users" ("id" uuid not null, "email" varchar(320) not null, "created_at" timestamptz not null default now(), constraint "users_pkey" primary key ("id"));`);
    this.addSql(`alter table "users" add constraint "users_email_unique" unique ("email");`);

    this.addSql(`create table "vulnerabilities" ("id" varchar(128) not null, "aliases" jsonb not null, "summary" text null, "details" text null, "severity" varchar(16) not null, "cvss_score" double precision null, "cvss_vector" text null, "references" jsonb not null, "record" jsonb not null, "modified" timestamptz not null, "fetched_at" timestamptz not null default now(), constraint "vulnerabilities_pkey" primary key ("id"));`);

    // Added by hand: the audit log is append-only, enforced by the database itself.
    this.addSql(`create function audit_logs_append_only() returns trigger language plpgsql as $$ begin raise exception 'audit_logs is append-only: % is not allowed', tg_op; end $$;`);
    this.addSql(`create trigger audit_logs_no_change before update or delete on "audit_logs" for each row execute function audit_logs_append_only();`);
    this.addSql(`create trigger audit_logs_no_truncate before truncate on "audit_logs" for each statement execute function audit_logs_append_only();`);
    this.addSql(`alter table "memberships" add constraint "memberships_org_id_foreign" foreign key ("org_id") references "organizations" ("id") on delete cascade;`);
    this.addSql(`alter table "memberships" add constraint "memberships_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "repositories" add constraint "repositories_org_id_foreign" foreign key ("org_id") references "organizations" ("id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop function if exists audit_logs_append_only() cascade;`);
    this.addSql(`drop table if exists "audit_logs" cascade;`);

    this.addSql(`drop table if exists "dependencies" cascade;`);

    this.addSql(`drop table if exists "dependency_matches" cascade;`);

    this.addSql(`drop table if exists "dependency_snapshots" cascade;`);

    this.addSql(`drop table if exists "findings" cascade;`);

    this.addSql(`drop table if exists "manifest_blobs" cascade;`);

    this.addSql(`drop table if exists "memberships" cascade;`);

    this.addSql(`drop table if exists "policies" cascade;`);

    this.addSql(`drop table if exists "policy_evaluations" cascade;`);

    this.addSql(`drop table if exists "repositories" cascade;`);

    this.addSql(`drop table if exists "scans" cascade;`);

    this.addSql(`drop table if exists "users" cascade;`);

    this.addSql(`drop table if exists "vulnerabilities" cascade;`);
  }

}
