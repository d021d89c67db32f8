import { Migration } from '@mikro-orm/migrations';

/**
 * A finding keeps its advisory's one-line summary, so a later match can tell that the summary
 * changed (finding.changed). Null for findings stored before, until their next match.
 */
export class Migration20261209020000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "findings" add column "summary" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "findings" drop column "summary";`);
  }

}
