import { isObject } from '../../../shared/is-object';
import type {
  DependencyScope,
  ManifestDiagnostic,
  ManifestParser,
  ManifestParseResult,
  ParsedDependency,
} from '../../manifest.types';
import { normalizePackageName } from '../../../ecosystem/package-name';
import { withMetadata } from '../../dependency-metadata';
import { LockedVersions, singleArtifactHash } from './lock-artifact-hash';
import { checkLockMajor } from './lock-format-version';
import { forEachLockPackage, registryVersion } from './lock-package-entries';
import { redactUrl } from './redact-url';
import { nonEmptyString, parseTomlDocument } from './toml-document';

// Sources with no registry version; `legacy` (a private index) is still a registry.
const UNRESOLVABLE_SOURCES = new Set(['git', 'url', 'directory', 'file']);
const KNOWN_LOCK_MAJOR = 2;

/**
 * poetry.lock (lock-version 1.x and 2.x). The lock does not say which packages pyproject.toml
 * names, so every entry is `direct: false`. Scope: `category = "dev"` (Poetry < 1.5) or `groups`
 * without "main" (Poetry 2) → dev; `optional = true` (an extra) → optional; else runtime.
 */
export const poetryLockParser: ManifestParser = {
  id: 'poetry-lock',
  ecosystem: 'PyPI',
  parse(path: string, text: string): ManifestParseResult {
    const document = parseTomlDocument(path, text);
    if (!document.ok) return { dependencies: [], diagnostics: [document.diagnostic] };
    const diagnostics: ManifestDiagnostic[] = [];
    const dependencies: ParsedDependency[] = [];

    const metadata = document.table.metadata;
    const lockVersion = isObject(metadata) ? metadata['lock-version'] : undefined;
    checkLockMajor(
      diagnostics,
      text,
      'lock-version',
      typeof lockVersion === 'string' ? lockVersion : undefined,
      KNOWN_LOCK_MAJOR,
    );

    // Lock 1.x lists artifacts apart, under the package's name as written.
    const files = isObject(metadata) && isObject(metadata['files']) ? metadata['files'] : {};
    const locked = new LockedVersions();
    const requires: unknown[] = [];
    forEachLockPackage(document.table.package, document.packageLines, diagnostics, (pkg) => {
      const version = registryVersion(diagnostics, pkg, nonRegistryOrigin(pkg.entry), pkg.entry.version);
      if (!version) return;
      const artifacts = pkg.entry.files ?? files[String(pkg.entry.name)];
      locked.add(pkg.name, version);
      requires.push(pkg.entry.dependencies);
      const dependency: ParsedDependency = {
        ecosystem: 'PyPI',
        name: pkg.name,
        version,
        scope: scopeOf(pkg.entry),
        direct: false,
        manifestPath: path,
        ...pkg.at,
      };
      const hashes = singleArtifactHash(Array.isArray(artifacts) ? artifacts : []);
      dependencies.push(withMetadata(dependency, { hashes }));
    });
    return { dependencies: dependencies.map((d, i) => withEdges(d, requires[i], locked)), diagnostics };
  },
};

function nonRegistryOrigin(entry: Record<string, unknown>): string | undefined {
  const source = entry.source;
  if (!isObject(source)) return undefined;
  const sourceType = nonEmptyString(source.type);
  if (!sourceType || !UNRESOLVABLE_SOURCES.has(sourceType)) return undefined;
  const url = nonEmptyString(source.url);
  return `${sourceType} source${url ? ` ${redactUrl(url)}` : ''}`;
}

function scopeOf(entry: Record<string, unknown>): DependencyScope {
  const groups = entry.groups;
  const devByGroups =
    Array.isArray(groups) && groups.length > 0 && !groups.some((group: unknown) => group === 'main');
  if (entry.category === 'dev' || devByGroups) return 'dev';
  if (entry.optional === true) return 'optional';
  return 'runtime';
}

/** `[package.dependencies]` (name → constraint, table or list of them), each to its locked versions. */
function withEdges(
  dependency: ParsedDependency,
  requires: unknown,
  locked: LockedVersions,
): ParsedDependency {
  const names = isObject(requires) ? Object.keys(requires) : [];
  const dependsOn = names.flatMap((name) => locked.resolve(normalizePackageName('PyPI', name)));
  return withMetadata(dependency, { dependsOn });
}
