import { isObject } from '../../../shared/is-object';
import { markedUnique } from '../../dedupe-dependencies';
import type {
  DependencyScope,
  ManifestDiagnostic,
  ManifestParser,
  ManifestParseResult,
  ParsedDependency,
} from '../../manifest.types';
import { atLine } from './at-line';
import { checkLockMajor } from './lock-format-version';
import { forEachLockPackage, registryVersion } from './lock-package-entries';
import { redactUrl } from './redact-url';
import { nonEmptyString, parseTomlDocument } from './toml-document';

const KNOWN_LOCK_MAJOR = 4;

/**
 * pdm.lock. `groups` lists the dependency groups that need a package: only non-default groups
 * → dev. PDM repeats a package once per requested extra set (`extras = [...]`); those repeats are
 * merged, keeping the widest scope. Every entry is `direct: false`: the lock cannot tell.
 */
export const pdmLockParser: ManifestParser = {
  id: 'pdm-lock',
  ecosystem: 'PyPI',
  parse(path: string, text: string): ManifestParseResult {
    const document = parseTomlDocument(path, text);
    if (!document.ok) return { dependencies: [], diagnostics: [document.diagnostic] };
    const diagnostics: ManifestDiagnostic[] = [];

    const metadata = document.table.metadata;
    const lockVersion = isObject(metadata) ? nonEmptyString(metadata.lock_version) : undefined;
    checkLockMajor(diagnostics, text, 'lock_version', lockVersion, KNOWN_LOCK_MAJOR);

    const found = new Map<string, { name: string; version: string; scope: DependencyScope; line?: number }>();
    forEachLockPackage(document.table.package, document.packageLines, diagnostics, (pkg) => {
      const version = registryVersion(diagnostics, pkg, nonRegistryOrigin(pkg.entry), pkg.entry.version);
      if (!version) return;
      const scope = scopeOf(pkg.entry.groups);
      const key = `${pkg.name}@${version}`;
      const earlier = found.get(key);
      if (!earlier) found.set(key, { name: pkg.name, version, scope, ...pkg.at });
      else if (scope === 'runtime') earlier.scope = 'runtime';
    });

    const dependencies: ParsedDependency[] = [...found.values()].map((d) => ({
      ecosystem: 'PyPI',
      name: d.name,
      version: d.version,
      scope: d.scope,
      direct: false,
      manifestPath: path,
      ...atLine(d.line),
    }));
    // One per name and version already, so parseManifest need not index them again.
    return { dependencies: markedUnique(dependencies), diagnostics };
  },
};

function nonRegistryOrigin(entry: Record<string, unknown>): string | undefined {
  const git = nonEmptyString(entry.git);
  if (git) return `VCS source ${redactUrl(git)}`;
  const localPath = nonEmptyString(entry.path);
  if (localPath) return `${entry.editable === true ? 'editable ' : ''}local path ${localPath}`;
  const url = nonEmptyString(entry.url);
  if (url) return `direct URL ${redactUrl(url)}`;
  return undefined;
}

function scopeOf(groups: unknown): DependencyScope {
  if (!Array.isArray(groups) || groups.length === 0) return 'runtime';
  return groups.includes('default') ? 'runtime' : 'dev';
}
