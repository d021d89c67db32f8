import { Migration } from '@mikro-orm/migrations';

export class Migration20261204120000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "github_link_requests" ("id" uuid not null, "org_id" uuid not null, "requested_by" uuid not null, "installation_id" bigint null, "state_hash" varchar(64) not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "created_at" timestamptz not null default now(), constraint "github_link_requests_pkey" primary key ("id"));`);
    this.addSql(`create index "github_link_requests_org_id_index" on "github_link_requests" ("org_id");`);
    this.addSql(`alter table "github_link_requests" add constraint "github_link_requests_state_hash_unique" unique ("state_hash");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "github_link_requests" cascade;`);
  }

}
