import { isEcosystem } from '@repoguard/domain';
import { resolveAdvisorySources } from '@repoguard/infrastructure';
import { UsageError } from '../command-io';

/** The exports named on the command line: paths and URLs as given, then `--ecosystem` ones. */
export function advisorySourcesFromArgs(
  positionals: readonly string[],
  ecosystems: readonly string[],
  env: NodeJS.ProcessEnv,
): string[] {
  const unknown = ecosystems.filter((e) => !isEcosystem(e));
  if (unknown.length > 0) throw new UsageError(`--ecosystem: unknown ecosystem ${unknown.join(', ')}`);
  const sources = [
    ...positionals,
    ...resolveAdvisorySources(ecosystems, env['OSV_EXPORT_BASE_URL'] || undefined),
  ];
  if (sources.length === 0) throw new UsageError('give at least one export (path or URL) or --ecosystem');
  return sources;
}
