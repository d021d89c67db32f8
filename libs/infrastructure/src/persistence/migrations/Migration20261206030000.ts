import { Migration } from '@mikro-orm/migrations';

export class Migration20261206030000 extends Migration {

  override async up(): Promise<void> {
    // One row per advisory sync run (its workflow id and first run id): where the mirror stood
    // when the run began. Every import of the run, retries included, is measured from here, so an
    // import whose completion was lost still counts as this run's.
    this.addSql(`create table "advisory_sync_runs" ("id" text not null, "cursor_xmax" text not null, "cursor_running" text[] not null, "started_at" timestamptz not null default now(), "targets_collected_at" timestamptz null, "target_count" int null, constraint "advisory_sync_runs_pkey" primary key ("id"));`);
    this.addSql(`create index "advisory_sync_runs_started_at_index" on "advisory_sync_runs" ("started_at");`);
    // The repositories a run re-matches, numbered so the workflow pages by position, not by list.
    this.addSql(`create table "advisory_rematch_targets" ("sync_run_id" text not null, "seq" int not null, "org_id" uuid not null, "repo_id" uuid not null, "owner" varchar(100) not null, "name" varchar(100) not null, "snapshot_id" uuid not null, constraint "advisory_rematch_targets_pkey" primary key ("sync_run_id", "seq"));`);
    this.addSql(`alter table "advisory_rematch_targets" add constraint "advisory_rematch_targets_sync_run_id_foreign" foreign key ("sync_run_id") references "advisory_sync_runs" ("id") on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "advisory_rematch_targets" cascade;`);
    this.addSql(`drop table if exists "advisory_sync_runs" cascade;`);
  }

}
