import { normalizePackageName } from '../../../ecosystem/package-name';
import { binaryDiagnostic, looksBinary } from '../../manifest-text';
import type {
  DependencyScope,
  ManifestDiagnostic,
  ManifestParser,
  ManifestParseResult,
  ParsedDependency,
} from '../../manifest.types';
import { atLine } from './at-line';
import { redactUrl } from './redact-url';
import {
  arrayTableLines,
  firstLineMatching,
  isRecord,
  nonEmptyString,
  parseTomlDocument,
} from './toml-document';

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
    if (looksBinary(text)) return { dependencies: [], diagnostics: [binaryDiagnostic(path)] };
    const document = parseTomlDocument(path, text);
    if (!document.ok) return { dependencies: [], diagnostics: [document.diagnostic] };
    const diagnostics: ManifestDiagnostic[] = [];

    const metadata = document.table.metadata;
    const lockVersion = isRecord(metadata) ? nonEmptyString(metadata.lock_version) : undefined;
    if (lockVersion && Number.parseInt(lockVersion, 10) > KNOWN_LOCK_MAJOR) {
      diagnostics.push({
        severity: 'warning',
        code: 'UNSUPPORTED_VERSION',
        message: `lock_version ${lockVersion} is newer than the 4.x RepoGuard knows; read as 4.x`,
        ...atLine(firstLineMatching(text, /^\s*lock_version\s*=/)),
      });
    }

    const packages = document.table.package;
    if (packages === undefined) return { dependencies: [], diagnostics };
    if (!Array.isArray(packages)) {
      diagnostics.push({
        severity: 'error',
        code: 'INVALID_SYNTAX',
        message: '"package" is not an array of [[package]] tables',
      });
      return { dependencies: [], diagnostics };
    }

    const found = new Map<string, { name: string; version: string; scope: DependencyScope; line?: number }>();
    const lines = arrayTableLines(text, 'package', packages.length);
    packages.forEach((entry: unknown, index) => {
      const at = atLine(lines[index]);
      if (!isRecord(entry)) {
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
      const name = normalizePackageName('PyPI', rawName);
      const origin = nonRegistryOrigin(entry);
      if (origin) {
        diagnostics.push({
          severity: 'warning',
          code: 'UNRESOLVABLE',
          message: `${name} is not scanned: ${origin}, no registry version to match`,
          ...at,
        });
        return;
      }
      const version = nonEmptyString(entry.version);
      if (!version) {
        diagnostics.push({
          severity: 'warning',
          code: 'MISSING_FIELD',
          message: `${name} has no version`,
          ...at,
        });
        return;
      }
      const scope = scopeOf(entry.groups);
      const key = `${name}@${version}`;
      const earlier = found.get(key);
      if (!earlier) found.set(key, { name, version, scope, ...at });
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
    return { dependencies, diagnostics };
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
