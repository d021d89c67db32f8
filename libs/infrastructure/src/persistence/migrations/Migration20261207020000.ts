import { Migration } from '@mikro-orm/migrations';

export class Migration20261207020000 extends Migration {

  override async up(): Promise<void> {
    // During a rolling deploy, workers of the release before start_seq still start scans (started_at
    // from their clock, no start_seq): the database gives those starts their place too, or they
    // would sort after every older scan (NEWEST_FIRST puts nulls last) although they started last.
    // Only a first start: a row started earlier keeps what it has.
    this.addSql(`create function "scans_start_seq_on_start"() returns trigger language plpgsql as $$
      begin
        if new."started_at" is not null and new."start_seq" is null
           and (tg_op = 'INSERT' or old."started_at" is null) then
          new."start_seq" := nextval('scans_start_seq');
        end if;
        return new;
      end $$;`);
    this.addSql(`create trigger "scans_start_seq_on_start" before insert or update of "started_at" on "scans"
      for each row execute function "scans_start_seq_on_start"();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists "scans_start_seq_on_start" on "scans";`);
    this.addSql(`drop function if exists "scans_start_seq_on_start"();`);
  }

}
