import { Migration } from '@mikro-orm/migrations';

export class Migration20261130143627 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "webhook_deliveries" ("delivery_id" varchar(100) not null, "event" varchar(64) not null, "action" varchar(64) null, "github_repo_id" bigint null, "ref" text null, "head_commit" varchar(64) null, "handled" boolean not null, "outcome" text not null, "status_code" int not null, "error" text null, "scans" jsonb not null, "received_at" timestamptz not null default now(), constraint "webhook_deliveries_pkey" primary key ("delivery_id"));`);
    this.addSql(`create index "webhook_deliveries_github_repo_id_index" on "webhook_deliveries" ("github_repo_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "webhook_deliveries" cascade;`);
  }

}
