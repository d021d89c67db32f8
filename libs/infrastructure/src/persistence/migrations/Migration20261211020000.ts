import { Migration } from '@mikro-orm/migrations';

/**
 * What relaying a check request to its pull request's workflow needs (20261211010000 had no room
 * for it): when the head was last asked for (the workflow checks the newest request, and a
 * rerequest moves it) when an unsent request is due to the relay (null once the workflow took it), and the task queue
 * whose relay sends it (API processes serving another queue leave it alone).
 */
export class Migration20261211020000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "pull_request_checks" add column "requested_at" timestamptz not null default now(), add column "relay_due_at" timestamptz null, add column "task_queue" text null;`);
    this.addSql(`create index "pull_request_checks_relay_due_index" on "pull_request_checks" ("relay_due_at") where "relay_due_at" is not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "pull_request_checks_relay_due_index";`);
    this.addSql(`alter table "pull_request_checks" drop column "task_queue", drop column "relay_due_at", drop column "requested_at";`);
  }

}
