import { Migration } from '@mikro-orm/migrations';

export class Migration20261122042050 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "organizations" ("id" uuid not null, "name" varchar(200) not null, "slug" varchar(64) not null, "created_at" timestamptz not null default now(), constraint "organizations_pkey" primary key ("id"));`);
    this.addSql(`alter table "organizations" add constraint "organizations_slug_unique" unique ("slug");`);
  }

}
