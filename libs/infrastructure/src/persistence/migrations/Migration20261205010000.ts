import { Migration } from '@mikro-orm/migrations';

export class Migration20261205010000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "scan_request_outbox" ("id" uuid not null, "org_id" uuid not null, "repo_id" uuid not null, "task_queue" varchar(255) not null, "delivery_id" varchar(100) null, "request" jsonb not null, "attempts" int not null default 0, "next_attempt_at" timestamptz not null default now(), "last_error" text null, "created_at" timestamptz not null default now(), "relayed_at" timestamptz null, constraint "scan_request_outbox_pkey" primary key ("id"));`);
    this.addSql(`create index "scan_request_outbox_repo_id_index" on "scan_request_outbox" ("repo_id");`);
    this.addSql(`create index "scan_request_outbox_pending_index" on "scan_request_outbox" ("task_queue", "created_at") where "relayed_at" is null;`);
    this.addSql(`create index "scan_request_outbox_relayed_at_index" on "scan_request_outbox" ("relayed_at") where "relayed_at" is not null;`);
    this.addSql(`alter table "scan_request_outbox" add constraint "scan_request_outbox_repo_id_foreign" foreign key ("repo_id") references "repositories" ("id") on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "scan_request_outbox" cascade;`);
  }

}
