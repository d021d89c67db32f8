import { Migration } from '@mikro-orm/migrations';

export class Migration20261208030000 extends Migration {

  override async up(): Promise<void> {
    // The findings list orders by severity, then newest: a number PostgreSQL keeps, so an index can serve it.
    this.addSql(`alter table "findings" add column "severity_rank" smallint generated always as (case "severity" when 'CRITICAL' then 4 when 'HIGH' then 3 when 'MEDIUM' then 2 when 'LOW' then 1 else 0 end) stored;`);
    this.addSql(`create index "findings_repo_id_status_severity_rank_first_seen_id_index" on "findings" ("repo_id", "status", "severity_rank", "first_seen", "id");`);
    this.addSql(`create index "findings_repo_id_severity_rank_first_seen_id_index" on "findings" ("repo_id", "severity_rank", "first_seen", "id");`);
    // The org-wide search: by package (case-insensitive) and by advisory id or alias.
    this.addSql(`create index "findings_org_id_lower_package_name_index" on "findings" ("org_id", lower("package_name"));`);
    this.addSql(`create index "findings_org_id_vulnerability_id_index" on "findings" ("org_id", "vulnerability_id");`);
    this.addSql(`create index "findings_aliases_index" on "findings" using gin ("aliases" jsonb_path_ops);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "findings_aliases_index";`);
    this.addSql(`drop index if exists "findings_org_id_vulnerability_id_index";`);
    this.addSql(`drop index if exists "findings_org_id_lower_package_name_index";`);
    this.addSql(`drop index if exists "findings_repo_id_severity_rank_first_seen_id_index";`);
    this.addSql(`drop index if exists "findings_repo_id_status_severity_rank_first_seen_id_index";`);
    this.addSql(`alter table "findings" drop column if exists "severity_rank";`);
  }

}
