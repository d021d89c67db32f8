import { Migration } from '@mikro-orm/migrations';

/** Personal tokens may expire (POST /auth/tokens with expires_at). */
export class Migration20261204100000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "personal_tokens" add column "expires_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "personal_tokens" drop column "expires_at";`);
  }

}
