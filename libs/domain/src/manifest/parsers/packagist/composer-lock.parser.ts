import { findJsonSyntaxError } from '../../../shared/json-syntax-error';
import { isObject } from '../../../shared/is-object';
import { normalizePackageName } from '../../../ecosystem/package-name';
import type {
  DependencyScope,
  ManifestDiagnostic,
  ManifestParser,
  ParsedDependency,
} from '../../manifest.types';
import { hexHash, withMetadata } from '../../dependency-metadata';
import { binaryDiagnostic, looksBinary, normalizeText, refuseDeepJson } from '../../manifest-text';
import { occurrenceLines } from '../occurrence-lines';

const LISTS: readonly { readonly key: 'packages' | 'packages-dev'; readonly scope: DependencyScope }[] = [
  { key: 'packages', scope: 'runtime' },
  { key: 'packages-dev', scope: 'dev' },
];
const NAME_ENTRY = /"name"\s*:\s*"((?:[^"\\]|\\.)*)"/g;

/**
 * `composer.lock`: every package of `packages` (runtime) and `packages-dev` (dev). The lock does
 * not say which ones composer.json asks for, so all are indirect.
 */
export const composerLockParser: ManifestParser = {
  id: 'composer-lock',
  ecosystem: 'Packagist',
  parse(path, text) {
    if (looksBinary(text)) return { dependencies: [], diagnostics: [binaryDiagnostic(path)] };
    const normalized = normalizeText(text);
    const tooDeep = refuseDeepJson(path, normalized);
    if (tooDeep) return tooDeep;
    let document: unknown;
    try {
      document = JSON.parse(normalized);
    } catch (error) {
      return { dependencies: [], diagnostics: [jsonError(path, normalized, error)] };
    }
    if (!isObject(document)) {
      return {
        dependencies: [],
        diagnostics: [{ severity: 'error', code: 'INVALID_SYNTAX', message: `${path} is not a JSON object` }],
      };
    }
    if (!LISTS.some(({ key }) => Array.isArray(document[key]))) {
      return {
        dependencies: [],
        diagnostics: [
          { severity: 'error', code: 'MISSING_FIELD', message: `${path} has no "packages" list` },
        ],
      };
    }

    const lineOf = nameLines(normalized);
    const diagnostics: ManifestDiagnostic[] = [];
    const dependencies: ParsedDependency[] = [];
    const requires: unknown[] = [];
    for (const { key, scope } of LISTS) {
      const list: unknown = document[key];
      // `"packages-dev": null` is what `composer update --no-dev` wrote in Composer 1.
      if (!Array.isArray(list)) continue;
      list.forEach((entry: unknown, index) => {
        const pkg = isObject(entry) ? entry : {};
        const { name, version } = pkg;
        const line = typeof name === 'string' ? lineOf(name) : undefined;
        const where = line === undefined ? {} : { line };
        const named = typeof name === 'string' && name.trim() !== '';
        if (!named || typeof version !== 'string' || version.trim() === '') {
          diagnostics.push({
            severity: 'warning',
            code: 'MISSING_FIELD',
            message: `${key}[${index}] has no ${named ? `version (${name})` : 'name'}; it was skipped`,
            ...where,
          });
          return;
        }
        const dist = isObject(pkg['dist']) ? pkg['dist'] : {};
        if (dist['type'] === 'path') {
          diagnostics.push({
            severity: 'warning',
            code: 'UNRESOLVABLE',
            message: `${name} ${version} comes from the local path ${String(dist['url'])}; it has no registry version to check`,
            ...where,
          });
          return;
        }
        // `dev-main`, `2.x-dev`: a branch, locked to a commit that has no release version.
        if (version.startsWith('dev-') || version.endsWith('-dev')) {
          const source = isObject(pkg['source']) ? pkg['source'] : {};
          const reference =
            typeof source['reference'] === 'string' ? ` at commit ${source['reference']}` : '';
          diagnostics.push({
            severity: 'warning',
            code: 'UNRESOLVABLE',
            message: `${name} is locked to the branch ${version}${reference}; it has no registry version to check`,
            ...where,
          });
          return;
        }
        const locked: ParsedDependency = {
          ecosystem: 'Packagist',
          name: normalizePackageName('Packagist', name),
          version: version.replace(/^v(?=\d)/i, ''),
          scope,
          direct: false,
          manifestPath: path,
          ...where,
        };
        const license = pkg['license'];
        dependencies.push(
          withMetadata(locked, {
            // Composer writes an empty shasum for GitHub zipballs: no digest, not a bad one.
            hashes: hexHash('SHA-1', dist['shasum']),
            licenses: Array.isArray(license) ? license : typeof license === 'string' ? [license] : [],
          }),
        );
        requires.push(pkg['require']);
      });
    }
    return { dependencies: withRequireEdges(dependencies, requires), diagnostics };
  },
};

/** Lines of each `"name": "..."` in file order, asked for as the packages come. */
function nameLines(text: string): (name: string) => number | undefined {
  return occurrenceLines(text, NAME_ENTRY, (raw) => {
    try {
      return JSON.parse(`"${raw}"`) as string;
    } catch {
      return undefined;
    }
  });
}

function jsonError(path: string, text: string, error: unknown): ManifestDiagnostic {
  if (text.trim() === '') return { severity: 'error', code: 'INVALID_SYNTAX', message: `${path} is empty` };
  // V8 says this (on every Node version) when the text ends where a value should start.
  if (error instanceof Error && /end of JSON input/.test(error.message)) {
    const line = text.trimEnd().split('\n').length;
    return {
      severity: 'error',
      code: 'INVALID_SYNTAX',
      message: `${path} ends before its JSON does (truncated?)`,
      line,
    };
  }
  const line = findJsonSyntaxError(text)?.line;
  return {
    severity: 'error',
    code: 'INVALID_SYNTAX',
    message: `${path} is not valid JSON`,
    ...(line === undefined ? {} : { line }),
  };
}

/** Each package's `require` names (platform ones like `php` and `ext-json` match none) to locked packages. */
function withRequireEdges(
  dependencies: ParsedDependency[],
  requires: readonly unknown[],
): ParsedDependency[] {
  const versions = new Map<string, string[]>();
  for (const { name, version } of dependencies) {
    const known = versions.get(name) ?? [];
    if (version !== null && !known.includes(version)) known.push(version);
    versions.set(name, known);
  }
  return dependencies.map((dependency, i) => {
    const required = requires[i];
    const names = isObject(required) ? Object.keys(required) : [];
    const dependsOn = names.flatMap((raw) => {
      const name = normalizePackageName('Packagist', raw);
      return (versions.get(name) ?? []).map((version) => ({ name, version }));
    });
    return withMetadata(dependency, { dependsOn });
  });
}
