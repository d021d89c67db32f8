import { Migration } from '@mikro-orm/migrations';

/**
 * SBOM uploads: each a snapshot of a project of provider `sbom`, its document in manifest_blobs by
 * SHA-256. They go with their project (a disconnect keeps findings and scans, not uploads).
 */
export class Migration20261212030000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "sbom_uploads" ("id" uuid not null, "org_id" uuid not null, "repo_id" uuid not null, "sha256" varchar(64) not null, "format" varchar(16) not null, "spec_version" varchar(40) not null, "serial_number" text null, "document_name" text null, "components" int not null, "size_bytes" int not null, "uploaded_by" text not null, "uploaded_at" timestamptz not null default now(), constraint "sbom_uploads_pkey" primary key ("id"));`);
    this.addSql(`alter table "sbom_uploads" add constraint "sbom_uploads_repo_id_foreign" foreign key ("repo_id") references "repositories" ("id") on delete cascade;`);
    this.addSql(`create index "sbom_uploads_repo_id_uploaded_at_index" on "sbom_uploads" ("repo_id", "uploaded_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "sbom_uploads" cascade;`);
  }

}
