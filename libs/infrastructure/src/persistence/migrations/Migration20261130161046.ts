import { Migration } from '@mikro-orm/migrations';

export class Migration20261130161046 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "mirrored_advisories" ("id" varchar(128) not null, "modified" timestamptz not null, "withdrawn" timestamptz null, "record" jsonb not null, "imported_at" timestamptz not null default now(), constraint "mirrored_advisories_pkey" primary key ("id"));`);
    this.addSql(`create index "mirrored_advisories_imported_at_index" on "mirrored_advisories" ("imported_at");`);

    this.addSql(`create table "mirrored_advisory_packages" ("ecosystem" varchar(32) not null, "name" text not null, "advisory_id" varchar(128) not null, constraint "mirrored_advisory_packages_pkey" primary key ("ecosystem", "name", "advisory_id"));`);
    this.addSql(`create index "mirrored_advisory_packages_advisory_id_index" on "mirrored_advisory_packages" ("advisory_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "mirrored_advisories" cascade;`);

    this.addSql(`drop table if exists "mirrored_advisory_packages" cascade;`);
  }

}
