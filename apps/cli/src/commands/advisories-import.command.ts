import { MikroORM } from '@mikro-orm/postgresql';
import {
  createMikroOrmConfig,
  PostgresAdvisoryMirror,
  streamOsvExportFrom,
  type MirrorImportCounts,
} from '@repoguard/infrastructure';
import { type CommandIo, parseCommandArgs } from '../command-io';
import { advisoryDiagnosticLines } from './advisory-diagnostics.output';
import { advisorySourcesFromArgs, osvExportLimitsFromEnv } from './advisory-sources.args';

// Invalid records shown per source: enough to find the pattern, not a page per bad export.
const SHOWN_PROBLEMS = 10;

export const ADVISORIES_IMPORT_USAGE = `Usage: repoguard advisories:import [<zip-dir-json-or-url>...] [--ecosystem <name>]... [--allow-http] [--skip-invalid] [--json]

Options:
  --ecosystem <name>  download that ecosystem's export from OSV_EXPORT_BASE_URL (repeatable)
  --allow-http        allow http:// URLs for this run
  --skip-invalid      invalid records left out are fine: exit 0 rather than 3
  --json              print the import reports and the mirror's state as JSON
  -h, --help          this help

Loads OSV advisories into the local mirror (the database named by DATABASE_URL, default
postgresql://postgres@127.0.0.1:5432/repoguard): OSV's per-ecosystem export (<Ecosystem>/all.zip),
a directory of OSV JSON files, a JSON file, or an https URL of any of these.
--ecosystem npm (repeatable) downloads that ecosystem's export from OSV_EXPORT_BASE_URL
(default https://osv-vulnerabilities.storage.googleapis.com). Records are kept by id and
"modified": importing the same export again writes nothing; withdrawn advisories stop matching.

URLs are read over https only, redirects included; --allow-http (or OSV_EXPORT_ALLOW_HTTP=true)
allows http:// on a network you trust. An export is refused whole, with exit code 1, when it
passes a cap: OSV_EXPORT_MAX_DOWNLOAD_BYTES (download, default 1 GiB), OSV_EXPORT_MAX_UNZIPPED_BYTES
(all entries unzipped, default 1 GiB), OSV_EXPORT_MAX_ENTRY_BYTES (one entry, default 16 MiB),
OSV_EXPORT_MAX_ENTRIES (default 1000000).

Entries that are not usable OSV records (not JSON, no "id", "modified" missing or not a date) are
left out and named (the count and the first ${SHOWN_PROBLEMS}, on stderr too); the valid records of the
export are imported. The exit code is then 3, so a pipeline notices, unless --skip-invalid says
leaving them out is fine.

Exit codes: 0 when everything was imported, 1 when a source could not be read at all, 2 on usage
errors, 3 when invalid records were left out (without --skip-invalid).`;

/** Exit codes scripts branch on. */
export const ADVISORIES_IMPORT_EXIT = { ok: 0, sourceFailed: 1, usage: 2, invalidRecords: 3 } as const;

const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/repoguard';

/** For operators and the demo; see ADVISORIES_IMPORT_EXIT. */
export async function runAdvisoriesImport(
  argv: readonly string[],
  io: CommandIo,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const { values, positionals } = parse(argv);
  const sources = advisorySourcesFromArgs(positionals, values.ecosystem ?? [], env);
  const limits = osvExportLimitsFromEnv(env, values['allow-http']);

  const orm = await MikroORM.init(
    createMikroOrmConfig({ databaseUrl: env['DATABASE_URL'] || DEFAULT_DATABASE_URL, poolMax: 1 }),
  );
  let failed = false;
  let invalidRecords = 0;
  const reports: unknown[] = [];
  try {
    const mirror = new PostgresAdvisoryMirror(orm.em.fork());
    for (const source of sources) {
      const started = performance.now();
      const read = streamOsvExportFrom(source, {
        cwd: io.cwd,
        limits,
        unchangedEntries: (ids) => mirror.entryDigests(ids),
      });
      let imported: MirrorImportCounts;
      try {
        // Read as it is written: a source that fails part way has written nothing.
        imported = await mirror.import(read.records, read.unread);
      } catch (error) {
        io.err(`repoguard: ${source}: ${(error as Error).message}`);
        failed = true;
        continue;
      }
      const { invalid, ...counts } = imported;
      const seconds = (performance.now() - started) / 1000;
      const problems = [
        ...read.problems.map((p) => `${p.entry}: ${p.problem}`),
        ...invalid.map((id) => `${id}: "modified" is not a date`),
      ];
      const report = {
        source,
        ...counts,
        problems,
        seconds: Math.round(seconds * 1000) / 1000,
        rssMb: Math.round(process.memoryUsage().rss / 2 ** 20),
      };
      reports.push(report);
      if (!values.json) {
        io.out(
          `${source}: ${counts.read} read, ${counts.inserted} new, ${counts.updated} updated, ` +
            `${counts.unchanged} unchanged, ${counts.withdrawn} withdrawn, ${problems.length} skipped ` +
            `in ${seconds.toFixed(2)} s (memory ${report.rssMb} MB)`,
        );
        for (const problem of problems.slice(0, SHOWN_PROBLEMS)) io.out(`  skipped ${problem}`);
        if (problems.length > SHOWN_PROBLEMS) io.out(`  … and ${problems.length - SHOWN_PROBLEMS} more`);
        for (const line of advisoryDiagnosticLines(counts.diagnostics)) io.out(line);
      }
      if (problems.length > 0 && !values['skip-invalid']) {
        invalidRecords += problems.length;
        io.err(invalidRecordsLine(source, problems));
      }
    }
    const state = await mirror.state();
    if (values.json) io.out(JSON.stringify({ imports: reports, mirror: state }, null, 2));
    else io.out(`mirror holds ${state.advisories} advisories`);
    if (failed) return ADVISORIES_IMPORT_EXIT.sourceFailed;
    return invalidRecords > 0 ? ADVISORIES_IMPORT_EXIT.invalidRecords : ADVISORIES_IMPORT_EXIT.ok;
  } finally {
    await orm.close(true);
  }
}

function invalidRecordsLine(source: string, problems: readonly string[]): string {
  const shown = problems
    .slice(0, SHOWN_PROBLEMS)
    .map((p) => `\n  ${p}`)
    .join('');
  const more = problems.length > SHOWN_PROBLEMS ? `\n  … and ${problems.length - SHOWN_PROBLEMS} more` : '';
  return (
    `repoguard: ${source}: ${problems.length} invalid record(s) left out, the valid ones imported; ` +
    `fix the export, or pass --skip-invalid to accept leaving them out:${shown}${more}`
  );
}

function parse(argv: readonly string[]) {
  return parseCommandArgs(argv, {
    allowPositionals: true,
    options: {
      ecosystem: { type: 'string', multiple: true },
      'allow-http': { type: 'boolean' },
      'skip-invalid': { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
}
