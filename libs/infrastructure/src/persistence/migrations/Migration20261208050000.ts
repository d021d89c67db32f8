import { Migration } from '@mikro-orm/migrations';

/** Scans written before the API spoke one vocabulary: the OSV step is `match`, counts are snake_case. */
const RENAMES: readonly [column: string, from: string, to: string][] = [
  ['phase_timings', 'osv', 'match'],
  ['counts', 'fixedFindings', 'fixed_findings'],
  ['counts', 'blobsDownloaded', 'blobs_downloaded'],
];

// jsonb_exists rather than the `?` operator, which the query builder would read as a binding.
const rename = (column: string, from: string, to: string) =>
  `update "scans" set "${column}" = ("${column}" - '${from}') || jsonb_build_object('${to}', "${column}" -> '${from}') where jsonb_exists("${column}", '${from}');`;

export class Migration20261208050000 extends Migration {

  override async up(): Promise<void> {
    for (const [column, from, to] of RENAMES) this.addSql(rename(column, from, to));
  }

  override async down(): Promise<void> {
    for (const [column, from, to] of RENAMES) this.addSql(rename(column, to, from));
  }

}
