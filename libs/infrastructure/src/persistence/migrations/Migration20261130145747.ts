import { Migration } from '@mikro-orm/migrations';

export class Migration20261130145747 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "repositories" add column "disabled_at" timestamptz null, add column "disabled_reason" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "repositories" drop column "disabled_at", drop column "disabled_reason";`);
  }

}
