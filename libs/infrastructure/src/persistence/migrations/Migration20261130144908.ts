import { Migration } from '@mikro-orm/migrations';

export class Migration20261130144908 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "stored_secrets" ("id" uuid not null, "org_id" uuid not null, "kind" varchar(32) not null, "owner_id" text null, "sealed" text not null, "key_id" varchar(16) not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "stored_secrets_pkey" primary key ("id"));`);
    this.addSql(`create unique index "stored_secrets_org_id_kind_owner_id_unique" on "stored_secrets" ("org_id", "kind", "owner_id") nulls not distinct;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "stored_secrets" cascade;`);
  }

}
