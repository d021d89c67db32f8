import { Migration } from '@mikro-orm/migrations';

export class Migration20261130135012 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "api_keys" ("id" uuid not null, "org_id" uuid not null, "name" varchar(100) not null, "role" varchar(16) not null, "token_hash" varchar(64) not null, "prefix" varchar(32) not null, "created_by" text null, "expires_at" timestamptz null, "revoked_at" timestamptz null, "last_used_at" timestamptz null, "created_at" timestamptz not null default now(), constraint "api_keys_pkey" primary key ("id"));`);
    this.addSql(`create index "api_keys_org_id_index" on "api_keys" ("org_id");`);
    this.addSql(`alter table "api_keys" add constraint "api_keys_token_hash_unique" unique ("token_hash");`);

    this.addSql(`create table "invitations" ("id" uuid not null, "org_id" uuid not null, "email" varchar(320) not null, "role" varchar(16) not null, "token_hash" varchar(64) not null, "invited_by" text null, "expires_at" timestamptz not null, "accepted_at" timestamptz null, "created_at" timestamptz not null default now(), constraint "invitations_pkey" primary key ("id"));`);
    this.addSql(`create index "invitations_org_id_index" on "invitations" ("org_id");`);
    this.addSql(`alter table "invitations" add constraint "invitations_token_hash_unique" unique ("token_hash");`);

    this.addSql(`create table "personal_tokens" ("id" uuid not null, "user_id" uuid not null, "name" varchar(100) not null, "token_hash" varchar(64) not null, "prefix" varchar(32) not null, "revoked_at" timestamptz null, "last_used_at" timestamptz null, "created_at" timestamptz not null default now(), constraint "personal_tokens_pkey" primary key ("id"));`);
    this.addSql(`create index "personal_tokens_user_id_index" on "personal_tokens" ("user_id");`);
    this.addSql(`alter table "personal_tokens" add constraint "personal_tokens_token_hash_unique" unique ("token_hash");`);

    this.addSql(`drop index "audit_logs_org_id_created_at_index";`);

    this.addSql(`create index "audit_logs_org_id_created_at_id_index" on "audit_logs" ("org_id", "created_at", "id");`);

    this.addSql(`create index "findings_repo_id_first_seen_id_index" on "findings" ("repo_id", "first_seen", "id");`);

    this.addSql(`alter table "organizations" add column "rate_limit_per_minute" int null;`);

    this.addSql(`alter table "scans" alter column "run_id" type text using ("run_id"::text);`);
    this.addSql(`alter table "scans" alter column "run_id" drop not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "api_keys" cascade;`);

    this.addSql(`drop table if exists "invitations" cascade;`);

    this.addSql(`drop table if exists "personal_tokens" cascade;`);

    this.addSql(`drop index "audit_logs_org_id_created_at_id_index";`);

    this.addSql(`create index "audit_logs_org_id_created_at_index" on "audit_logs" ("org_id", "created_at");`);

    this.addSql(`drop index "findings_repo_id_first_seen_id_index";`);

    this.addSql(`alter table "organizations" drop column "rate_limit_per_minute";`);

    this.addSql(`alter table "scans" alter column "run_id" type text using ("run_id"::text);`);
    this.addSql(`alter table "scans" alter column "run_id" set not null;`);
  }

}
