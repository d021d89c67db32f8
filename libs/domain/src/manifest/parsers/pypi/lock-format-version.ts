import type { ManifestDiagnostic } from '../../manifest.types';
import { atLine } from './at-line';
import { firstLineMatching } from './toml-document';

/**
 * Warns when a TOML lock's format version (`lock-version = "3.0"`) has a newer major than the
 * parser knows; the caller still reads the lock as the known major. `key` is a bare TOML key
 * (letters, digits, `-`, `_`), so it needs no escaping in the line pattern.
 */
export function checkLockMajor(
  diagnostics: ManifestDiagnostic[],
  text: string,
  key: string,
  version: string | undefined,
  knownMajor: number,
): void {
  if (version && Number.parseInt(version, 10) > knownMajor) {
    diagnostics.push({
      severity: 'warning',
      code: 'UNSUPPORTED_VERSION',
      message: `${key} ${version} is newer than the ${knownMajor}.x RepoGuard knows; read as ${knownMajor}.x`,
      ...atLine(firstLineMatching(text, new RegExp(`^\\s*${key}\\s*=`))),
    });
  }
}
