import { Migration } from '@mikro-orm/migrations';

export class Migration20261130142738 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "organizations" add column "deleted_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "organizations" drop column "deleted_at";`);
  }

}
