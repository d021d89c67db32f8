import { Migration } from '@mikro-orm/migrations';

/**
 * The zip entry each mirrored record was read from, as the export's central directory names its
 * bytes (CRC-32 and size, checked against the bytes when read): a re-import leaves an entry the
 * directory still describes alike unread. Null for records from elsewhere (a directory, a JSON
 * file, an entry of several records); those are always read.
 */
export class Migration20261215010000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "mirrored_advisories" add column "entry_digest" varchar(32) null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "mirrored_advisories" drop column if exists "entry_digest";`);
  }
}
