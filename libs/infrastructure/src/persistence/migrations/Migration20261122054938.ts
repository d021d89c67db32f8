import { Migration } from '@mikro-orm/migrations';

export class Migration20261122054938 extends Migration {

  override async up(): Promise<void> {
    // The entities keep tenant ids as plain columns; foreign keys the model does not declare would
    // be dropped by every generated migration, so they go here once. Tenant scoping is enforced in
    // the repositories.
    this.addSql(`alter table "memberships" drop constraint "memberships_org_id_foreign";`);
    this.addSql(`alter table "memberships" drop constraint "memberships_user_id_foreign";`);

    this.addSql(`alter table "repositories" drop constraint "repositories_org_id_foreign";`);

    // Matches are recomputed by the next scan of each snapshot: none needs keeping.
    this.addSql(`delete from "dependency_matches";`);
    this.addSql(`alter table "dependency_matches" add column "org_id" uuid not null;`);
    this.addSql(`create index "dependency_matches_org_id_index" on "dependency_matches" ("org_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "dependency_matches_org_id_index";`);
    this.addSql(`alter table "dependency_matches" drop column "org_id";`);

    this.addSql(`alter table "memberships" add constraint "memberships_org_id_foreign" foreign key ("org_id") references "organizations" ("id") on update no action on delete cascade;`);
    this.addSql(`alter table "memberships" add constraint "memberships_user_id_foreign" foreign key ("user_id") references "users" ("id") on update no action on delete cascade;`);

    this.addSql(`alter table "repositories" add constraint "repositories_org_id_foreign" foreign key ("org_id") references "organizations" ("id") on update no action on delete no action;`);
  }

}
