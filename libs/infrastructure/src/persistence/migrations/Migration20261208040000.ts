import { Migration } from '@mikro-orm/migrations';

export class Migration20261208040000 extends Migration {

  override async up(): Promise<void> {
    // A revoked invitation stays (the audit log names it) but can never be accepted.
    this.addSql(`alter table "invitations" add column "revoked_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "invitations" drop column "revoked_at";`);
  }

}
