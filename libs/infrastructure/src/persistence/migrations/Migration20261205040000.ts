import { Migration } from '@mikro-orm/migrations';

export class Migration20261205040000 extends Migration {

  override async up(): Promise<void> {
    // The order requests were committed in, told to the workflow: two relays may deliver out of it.
    this.addSql(`alter table "scan_request_outbox" add column "seq" bigserial not null;`);
    // Bumped by every claim: a relay sends a request only while its claim is the latest.
    this.addSql(`alter table "scan_request_outbox" add column "claims" int not null default 0;`);
    this.addSql(`alter table "scan_request_outbox" add column "gave_up_at" timestamptz null;`);
    this.addSql(`alter table "scan_request_outbox" add column "scan_id" uuid null;`);
    this.addSql(`drop index if exists "scan_request_outbox_pending_index";`);
    this.addSql(`create index "scan_request_outbox_pending_index" on "scan_request_outbox" ("task_queue", "org_id", "seq") where "relayed_at" is null and "gave_up_at" is null;`);
    this.addSql(`create index "scan_request_outbox_gave_up_at_index" on "scan_request_outbox" ("gave_up_at") where "gave_up_at" is not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "scan_request_outbox_gave_up_at_index";`);
    this.addSql(`drop index if exists "scan_request_outbox_pending_index";`);
    this.addSql(`alter table "scan_request_outbox" drop column if exists "scan_id";`);
    this.addSql(`alter table "scan_request_outbox" drop column if exists "gave_up_at";`);
    this.addSql(`alter table "scan_request_outbox" drop column if exists "claims";`);
    this.addSql(`alter table "scan_request_outbox" drop column if exists "seq";`);
    this.addSql(`create index "scan_request_outbox_pending_index" on "scan_request_outbox" ("task_queue", "created_at") where "relayed_at" is null;`);
  }

}
