import { Migration } from '@mikro-orm/migrations';

export class Migration20261212020000 extends Migration {

  override async up(): Promise<void> {
    // The triage decision in VEX terms (issue 20); the reason stays its detail, and triage_status
    // the finding status the state gives (findingStatusOfVexState), which the findings sync reads.
    this.addSql(`alter table "findings" add column "triage_state" varchar(16) null, add column "triage_justification" varchar(40) null, add column "triage_responses" jsonb null;`);
    // Today's ignore is not_affected without a justification; a reopen has no analysis.
    this.addSql(`update "findings" set "triage_state" = 'not_affected', "triage_responses" = '[]' where "triage_status" = 'ignored';`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "findings" drop column if exists "triage_state", drop column if exists "triage_justification", drop column if exists "triage_responses";`);
  }

}
