import { Migration } from '@mikro-orm/migrations';

export class Migration20261130142416 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index "dependencies_snapshot_id_name_index" on "dependencies" ("snapshot_id", "name");`);

    this.addSql(`drop index "findings_repo_id_status_severity_index";`);

    this.addSql(`create index "findings_repo_id_status_severity_org_id_index" on "findings" ("repo_id", "status", "severity", "org_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "dependencies_snapshot_id_name_index";`);

    this.addSql(`drop index "findings_repo_id_status_severity_org_id_index";`);

    this.addSql(`create index "findings_repo_id_status_severity_index" on "findings" ("repo_id", "status", "severity");`);
  }

}
