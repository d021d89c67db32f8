import { Migration } from '@mikro-orm/migrations';

/**
 * Which head of a pull request is its newest, apart from when a check was last asked for: a
 * rerequest (or an accepted risk) of an older head moves `requested_at` but must not make that head
 * the newest. `head_at` moves only when a `pull_request` delivery names the head; existing rows
 * take their creation time (only those deliveries create rows).
 */
export class Migration20261211030000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "pull_request_checks" add column "head_at" timestamptz not null default now();`);
    this.addSql(`update "pull_request_checks" set "head_at" = "created_at";`);
    this.addSql(`create index "pull_request_checks_stalled_index" on "pull_request_checks" ("task_queue", "updated_at") where "state" in ('queued', 'in_progress') and "relay_due_at" is null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "pull_request_checks_stalled_index";`);
    this.addSql(`alter table "pull_request_checks" drop column "head_at";`);
  }

}
