import { Migration } from '@mikro-orm/migrations';

export class Migration20261130151441 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "repositories" add column "installation_id" bigint null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "repositories" drop column "installation_id";`);
  }

}
