import type { DependencyScope, ParsedDependency } from '../../manifest.types';

/**
 * Builds the expected entries of a Python lock file that does not say what the project itself
 * asks for (poetry.lock, pdm.lock, Pipfile.lock), so every entry is indirect.
 */
export function lockedDependency(manifestPath: string) {
  return (
    name: string,
    version: string | null,
    scope: DependencyScope,
    line: number,
    specifier?: string,
  ): ParsedDependency => ({
    ecosystem: 'PyPI',
    name,
    version,
    ...(specifier === undefined ? {} : { specifier }),
    scope,
    direct: false,
    manifestPath,
    line,
  });
}
