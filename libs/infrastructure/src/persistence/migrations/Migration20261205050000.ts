import { Migration } from '@mikro-orm/migrations';

const EMPTY = `'{"total":0,"advisories":0,"byRule":{},"sample":[]}'::jsonb`;

export class Migration20261205050000 extends Migration {

  override async up(): Promise<void> {
    // A finding keeps counts per rule and the first 20 diagnostics, not every one: a hostile
    // advisory could otherwise put megabytes on each finding of its package.
    this.addSql(`alter table "findings" alter column "advisory_diagnostics" set default ${EMPTY};`);
    this.addSql(`update "findings" set "advisory_diagnostics" = ${EMPTY} where "advisory_diagnostics" = '[]'::jsonb;`);
    this.addSql(`update "findings" f set "advisory_diagnostics" = jsonb_build_object(
        'total', jsonb_array_length(f."advisory_diagnostics"),
        'advisories', (select count(distinct e->>'advisoryId') from jsonb_array_elements(f."advisory_diagnostics") e),
        'byRule', coalesce((select jsonb_object_agg(r.rule, r.n) from (
            select e->>'rule' as rule, count(*) as n from jsonb_array_elements(f."advisory_diagnostics") e
             where e->>'rule' is not null group by 1) r), '{}'::jsonb),
        'sample', coalesce((select jsonb_agg(a.e order by a.i)
            from jsonb_array_elements(f."advisory_diagnostics") with ordinality a(e, i) where a.i <= 20), '[]'::jsonb))
      where jsonb_typeof(f."advisory_diagnostics") = 'array';`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "findings" alter column "advisory_diagnostics" set default '[]'::jsonb;`);
    this.addSql(`update "findings" set "advisory_diagnostics" = coalesce("advisory_diagnostics"->'sample', '[]'::jsonb)
      where jsonb_typeof("advisory_diagnostics") = 'object';`);
  }

}
