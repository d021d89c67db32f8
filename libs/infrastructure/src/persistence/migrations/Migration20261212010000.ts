import { Migration } from '@mikro-orm/migrations';

/**
 * What a lock file says of each dependency beyond its version, for the SBOM export: integrity
 * hashes, licences and the packages it depends on. NULL where the file does not say; a known
 * empty graph is `[]`.
 */
export class Migration20261212010000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "dependencies" add column "hashes" jsonb null, add column "licenses" jsonb null, add column "depends_on" jsonb null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "dependencies" drop column "hashes", drop column "licenses", drop column "depends_on";`);
  }

}
