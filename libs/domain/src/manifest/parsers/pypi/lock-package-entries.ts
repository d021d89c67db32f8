import { isObject } from '../../../shared/is-object';
import { normalizePackageName } from '../../../ecosystem/package-name';
import type { ManifestDiagnostic } from '../../manifest.types';
import { atLine } from './at-line';
import { nonEmptyString } from './toml-document';

/** A `[[package]]` table of a TOML lock file that has a name. */
export interface LockPackageEntry {
  readonly entry: Record<string, unknown>;
  /** Normalised with `normalizePackageName`. */
  readonly name: string;
  /** `{ line }` of the entry's `[[package]]` header, or nothing when it is unknown. */
  readonly at: { line?: number };
}

/**
 * Visits the named `[[package]]` tables of poetry.lock, pdm.lock or uv.lock in file order. A
 * `package` key that is not an array of tables, entries that are not tables and entries without a
 * name go to `diagnostics` instead; the caller's own reports for an entry keep their file order.
 * `packageLines` are the lines of the `[[package]]` headers.
 */
export function forEachLockPackage(
  packages: unknown,
  packageLines: readonly number[],
  diagnostics: ManifestDiagnostic[],
  visit: (pkg: LockPackageEntry) => void,
): void {
  if (packages === undefined) return;
  if (!Array.isArray(packages)) {
    diagnostics.push({
      severity: 'error',
      code: 'INVALID_SYNTAX',
      message: '"package" is not an array of [[package]] tables',
    });
    return;
  }
  // The n-th header is the n-th entry, unless the count differs (e.g. an inline array was used).
  const lines = packageLines.length === packages.length ? packageLines : [];
  packages.forEach((entry: unknown, index) => {
    const at = atLine(lines[index]);
    if (!isObject(entry)) {
      diagnostics.push({
        severity: 'warning',
        code: 'INVALID_SYNTAX',
        message: '[[package]] is not a table',
        ...at,
      });
      return;
    }
    const rawName = nonEmptyString(entry.name);
    if (!rawName) {
      diagnostics.push({
        severity: 'warning',
        code: 'MISSING_FIELD',
        message: '[[package]] has no name',
        ...at,
      });
      return;
    }
    visit({ entry, name: normalizePackageName('PyPI', rawName), at });
  });
}

/**
 * The registry version of a locked package, or undefined once the reason it has none is reported:
 * it comes from elsewhere (`origin`, e.g. "VCS source https://..."), or no version is written.
 */
export function registryVersion(
  diagnostics: ManifestDiagnostic[],
  pkg: Pick<LockPackageEntry, 'name' | 'at'>,
  origin: string | undefined,
  version: unknown,
): string | undefined {
  if (origin) {
    diagnostics.push({
      severity: 'warning',
      code: 'UNRESOLVABLE',
      message: `${pkg.name} is not scanned: ${origin}, no registry version to match`,
      ...pkg.at,
    });
    return undefined;
  }
  const written = nonEmptyString(version);
  if (!written) {
    diagnostics.push({
      severity: 'warning',
      code: 'MISSING_FIELD',
      message: `${pkg.name} has no version`,
      ...pkg.at,
    });
  }
  return written;
}
