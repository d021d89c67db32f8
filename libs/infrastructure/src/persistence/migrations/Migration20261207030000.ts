import { Migration } from '@mikro-orm/migrations';

export class Migration20261207030000 extends Migration {

  override async up(): Promise<void> {
    // newerScanThan runs under the repository's lock at every persist and completion: a range of
    // one repository's later starts, not a read of all its scans.
    this.addSql(`create index "scans_repo_id_start_seq_index" on "scans" ("repo_id", "start_seq");`);
    // Its fallback for rows started by workers that predate start_seq (few, and fewer with time).
    this.addSql(`create index "scans_unnumbered_started_at_index" on "scans" ("repo_id", "started_at") where "start_seq" is null and "started_at" is not null;`);
    // The latest completed scan (NEWEST_FIRST): re-match targets, scanned state, latest snapshot.
    this.addSql(`create index "scans_latest_completed_index" on "scans" ("repo_id", "start_seq" desc nulls last, "completed_at" desc) where "status" = 'COMPLETED';`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "scans_latest_completed_index";`);
    this.addSql(`drop index if exists "scans_unnumbered_started_at_index";`);
    this.addSql(`drop index if exists "scans_repo_id_start_seq_index";`);
  }

}
