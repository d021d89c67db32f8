import { Migration } from '@mikro-orm/migrations';

/**
 * A delivery names at most MAX_MESSAGE_EVENTS events (a weekly digest of a busy org, a first scan
 * of a monorepo); `event_total` keeps how many it stood for when that is more. Null: `event_ids` is all.
 */
export class Migration20261210030000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "notification_deliveries" add column "event_total" integer null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "notification_deliveries" drop column "event_total";`);
  }

}
