import { isEcosystem } from '@repoguard/domain';

export const DEFAULT_OSV_EXPORT_BASE_URL = 'https://osv-vulnerabilities.storage.googleapis.com';

/**
 * Turns an operator's list of advisory sources into what the sync reads: an ecosystem name
 * (`npm`, `PyPI`) becomes that ecosystem's export in OSV's bucket (or a mirror of its layout);
 * a URL or a path is taken as it is.
 */
export function resolveAdvisorySources(
  entries: readonly string[],
  baseUrl: string = DEFAULT_OSV_EXPORT_BASE_URL,
): string[] {
  const base = baseUrl.replace(/(?<!\/)\/+$/, '');
  return entries
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0)
    .map((entry) => (isEcosystem(entry) ? `${base}/${encodeURIComponent(entry)}/all.zip` : entry));
}
