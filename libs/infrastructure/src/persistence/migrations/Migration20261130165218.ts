import { Migration } from '@mikro-orm/migrations';

export class Migration20261130165218 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "repositories" add column "git_url" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "repositories" drop column "git_url";`);
  }

}
