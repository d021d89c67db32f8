import { isEcosystem } from '@repoguard/domain';
import {
  DEFAULT_OSV_EXPORT_LIMITS,
  OSV_EXPORT_LIMIT_VARIABLES,
  resolveAdvisorySources,
  type OsvExportLimits,
} from '@repoguard/infrastructure';
import { UsageError } from '../command-io';

/** The exports named on the command line: paths and URLs as given, then `--ecosystem` ones. */
export function advisorySourcesFromArgs(
  positionals: readonly string[],
  ecosystems: readonly string[],
  env: NodeJS.ProcessEnv,
  // advisories:sync may name none: the schedule's sources are synced then.
  required = true,
): string[] {
  const unknown = ecosystems.filter((e) => !isEcosystem(e));
  if (unknown.length > 0) throw new UsageError(`--ecosystem: unknown ecosystem ${unknown.join(', ')}`);
  const sources = [
    ...positionals,
    ...resolveAdvisorySources(ecosystems, env['OSV_EXPORT_BASE_URL'] || undefined),
  ];
  if (sources.length === 0 && required)
    throw new UsageError('give at least one export (path or URL) or --ecosystem');
  return sources;
}

/**
 * The caps and schemes an export is read within: OSV_EXPORT_* from the environment (the names the
 * worker's config reads too), defaults otherwise; `--allow-http` adds http:// for this run.
 */
export function osvExportLimitsFromEnv(env: NodeJS.ProcessEnv, allowHttpFlag = false): OsvExportLimits {
  const whole = (limit: Exclude<keyof OsvExportLimits, 'allowHttp'>): number => {
    const variable = OSV_EXPORT_LIMIT_VARIABLES[limit];
    const raw = env[variable]?.trim();
    if (!raw) return DEFAULT_OSV_EXPORT_LIMITS[limit];
    if (!/^\d+$/.test(raw) || Number(raw) < 1 || !Number.isSafeInteger(Number(raw)))
      throw new UsageError(`${variable} must be a whole number above 0, not "${raw}"`);
    return Number(raw);
  };
  const allowHttp = env[OSV_EXPORT_LIMIT_VARIABLES.allowHttp]?.trim() || 'false';
  if (allowHttp !== 'true' && allowHttp !== 'false')
    throw new UsageError(`${OSV_EXPORT_LIMIT_VARIABLES.allowHttp} must be true or false, not "${allowHttp}"`);
  return {
    maxDownloadBytes: whole('maxDownloadBytes'),
    maxUnzippedBytes: whole('maxUnzippedBytes'),
    maxEntryBytes: whole('maxEntryBytes'),
    maxEntries: whole('maxEntries'),
    allowHttp: allowHttpFlag || allowHttp === 'true',
  };
}
