import { Migration } from '@mikro-orm/migrations';

export class Migration20261130151919 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "github_installations" ("installation_id" bigint not null, "org_id" uuid not null, "account_login" varchar(100) not null, "account_type" varchar(32) not null, "revoked_at" timestamptz null, "created_at" timestamptz not null default now(), constraint "github_installations_pkey" primary key ("installation_id"));`);
    this.addSql(`create index "github_installations_org_id_index" on "github_installations" ("org_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "github_installations" cascade;`);
  }

}
