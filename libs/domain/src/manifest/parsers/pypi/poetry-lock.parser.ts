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
    if (looksBinary(text)) return { dependencies: [], diagnostics: [binaryDiagnostic(path)] };
    const document = parseTomlDocument(path, text);
    if (!document.ok) return { dependencies: [], diagnostics: [document.diagnostic] };
    const diagnostics: ManifestDiagnostic[] = [];
    const dependencies: ParsedDependency[] = [];

    const metadata = document.table.metadata;
    const lockVersion = isRecord(metadata) ? metadata['lock-version'] : undefined;
    if (typeof lockVersion === 'string' && Number.parseInt(lockVersion, 10) > KNOWN_LOCK_MAJOR) {
      diagnostics.push({
        severity: 'warning',
        code: 'UNSUPPORTED_VERSION',
        message: `lock-version ${lockVersion} is newer than the 2.x RepoGuard knows; read as 2.x`,
        ...atLine(firstLineMatching(text, /^\s*lock-version\s*=/)),
      });
    }

    const packages = document.table.package;
    if (packages === undefined) return { dependencies, diagnostics };
    if (!Array.isArray(packages)) {
      diagnostics.push({
        severity: 'error',
        code: 'INVALID_SYNTAX',
        message: '"package" is not an array of [[package]] tables',
      });
      return { dependencies, diagnostics };
    }

    const lines = arrayTableLines(text, 'package', packages.length);
    packages.forEach((entry: unknown, index) => {
      const line = lines[index];
      const at = atLine(line);
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
      const source = entry.source;
      const sourceType = isRecord(source) ? nonEmptyString(source.type) : undefined;
      if (sourceType && UNRESOLVABLE_SOURCES.has(sourceType)) {
        const url = isRecord(source) ? nonEmptyString(source.url) : undefined;
        diagnostics.push({
          severity: 'warning',
          code: 'UNRESOLVABLE',
          message: `${name} is not scanned: ${sourceType} source${url ? ` ${redactUrl(url)}` : ''}, no registry version to match`,
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
      dependencies.push({
        ecosystem: 'PyPI',
        name,
        version,
        scope: scopeOf(entry),
        direct: false,
        manifestPath: path,
        ...at,
      });
    });
    return { dependencies, diagnostics };
  },
};

function scopeOf(entry: Record<string, unknown>): DependencyScope {
  const groups = entry.groups;
  const devByGroups =
    Array.isArray(groups) && groups.length > 0 && !groups.some((group: unknown) => group === 'main');
  if (entry.category === 'dev' || devByGroups) return 'dev';
  if (entry.optional === true) return 'optional';
  return 'runtime';
}
