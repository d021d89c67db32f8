import { findJsonSyntaxError } from '../../../shared/json-syntax-error';
import { isObject } from '../../../shared/is-object';
import { normalizePackageName } from '../../../ecosystem/package-name';
import { binaryDiagnostic, looksBinary, normalizeText, refuseDeepJson } from '../../manifest-text';
import type {
  DependencyScope,
  ManifestDiagnostic,
  ManifestParser,
  ManifestParseResult,
  ParsedDependency,
} from '../../manifest.types';
import { atLine } from './at-line';
import { registryVersion } from './lock-package-entries';
import { redactUrl } from './redact-url';
import { nonEmptyString } from './toml-document';

const KNOWN_SPEC = 6;
const SECTIONS: readonly { key: string; scope: DependencyScope }[] = [
  { key: 'default', scope: 'runtime' },
  { key: 'develop', scope: 'dev' },
];

/**
 * Pipfile.lock (pipfile-spec 6): `default` → runtime, `develop` → dev. A package pipenv locks in
 * both sections at the same version is reported once, as runtime. The lock does not say which
 * packages the Pipfile names, so every entry is `direct: false`.
 */
export const pipfileLockParser: ManifestParser = {
  id: 'pipfile-lock',
  ecosystem: 'PyPI',
  parse(path: string, text: string): ManifestParseResult {
    if (looksBinary(text)) return { dependencies: [], diagnostics: [binaryDiagnostic(path)] };
    const normalized = normalizeText(text);
    if (normalized.trim() === '') return { dependencies: [], diagnostics: [] };
    const tooDeep = refuseDeepJson(path, normalized);
    if (tooDeep) return tooDeep;
    let document: unknown;
    try {
      document = JSON.parse(normalized);
    } catch (error) {
      return {
        dependencies: [],
        diagnostics: [
          {
            severity: 'error',
            code: 'INVALID_SYNTAX',
            message: `${path} is not valid JSON: ${(error as Error).message.split('\n')[0]}`,
            ...atLine(findJsonSyntaxError(normalized)?.line),
          },
        ],
      };
    }
    if (!isObject(document)) {
      return {
        dependencies: [],
        diagnostics: [{ severity: 'error', code: 'INVALID_SYNTAX', message: `${path} is not a JSON object` }],
      };
    }

    const lines = normalized.split('\n');
    const diagnostics: ManifestDiagnostic[] = [];
    const meta = document._meta;
    const spec = isObject(meta) ? meta['pipfile-spec'] : undefined;
    if (typeof spec === 'number' && spec > KNOWN_SPEC) {
      diagnostics.push({
        severity: 'warning',
        code: 'UNSUPPORTED_VERSION',
        message: `pipfile-spec ${spec} is newer than the ${KNOWN_SPEC} RepoGuard knows; read as ${KNOWN_SPEC}`,
        ...atLine(lineOfKey(lines, 'pipfile-spec')),
      });
    }

    const dependencies: ParsedDependency[] = [];
    const runtimeVersions = new Set<string>();
    for (const { key, scope } of SECTIONS) {
      const section = document[key];
      if (section === undefined) continue;
      if (!isObject(section)) {
        diagnostics.push({
          severity: 'warning',
          code: 'INVALID_SYNTAX',
          message: `"${key}" is not an object of packages`,
          ...atLine(lineOfKey(lines, key)),
        });
        continue;
      }
      const entryLines = sectionKeyLines(lines, key, Object.keys(section));
      for (const [rawName, entry] of Object.entries(section)) {
        const at = atLine(entryLines.get(rawName));
        const name = normalizePackageName('PyPI', rawName);
        if (name.trim() === '') {
          diagnostics.push({
            severity: 'warning',
            code: 'MISSING_FIELD',
            message: `a package in "${key}" has no name`,
            ...at,
          });
          continue;
        }
        if (!isObject(entry)) {
          diagnostics.push({
            severity: 'warning',
            code: 'INVALID_SYNTAX',
            message: `${name} is not an object`,
            ...at,
          });
          continue;
        }
        const written = registryVersion(diagnostics, { name, at }, nonRegistryOrigin(entry), entry.version);
        if (!written) continue;
        const pin = /^===?\s*(\S+)$/.exec(written)?.[1];
        if (pin && !pin.endsWith('.*')) {
          if (scope === 'runtime') runtimeVersions.add(`${name}@${pin}`);
          else if (runtimeVersions.has(`${name}@${pin}`)) continue;
          dependencies.push({
            ecosystem: 'PyPI',
            name,
            version: pin,
            scope,
            direct: false,
            manifestPath: path,
            ...at,
          });
          continue;
        }
        diagnostics.push({
          severity: 'info',
          code: 'UNPINNED',
          message: `${name} is locked to "${written}", not an exact version`,
          ...at,
        });
        dependencies.push({
          ecosystem: 'PyPI',
          name,
          version: null,
          specifier: written === '*' ? '' : written,
          scope,
          direct: false,
          manifestPath: path,
          ...at,
        });
      }
    }
    return { dependencies, diagnostics };
  },
};

function nonRegistryOrigin(entry: Record<string, unknown>): string | undefined {
  const vcs = ['git', 'hg', 'svn', 'bzr'].find((key) => nonEmptyString(entry[key]));
  if (vcs) return `VCS source ${redactUrl(String(entry[vcs]))}`;
  const localPath = nonEmptyString(entry.path);
  if (localPath) return `${entry.editable === true ? 'editable ' : ''}local path ${localPath}`;
  const file = nonEmptyString(entry.file);
  if (file) return `direct file ${redactUrl(file)}`;
  return undefined;
}

function lineOfKey(lines: readonly string[], key: string): number | undefined {
  const pattern = new RegExp(`(^|[{,\\s])${escapeRegExp(JSON.stringify(key))}\\s*:`);
  const index = lines.findIndex((line) => pattern.test(line));
  return index < 0 ? undefined : index + 1;
}

/**
 * Lines of a section's package keys. JSON.parse gives no positions; pipenv writes one key per
 * line, so keys are looked for at the indentation of the section's first key, until the text
 * dedents back to the section. Unknown lines are simply left out.
 */
function sectionKeyLines(
  lines: readonly string[],
  section: string,
  keys: readonly string[],
): Map<string, number> {
  const found = new Map<string, number>();
  const start = lineOfKey(lines, section);
  if (start === undefined || /\{\s*\}\s*(?:,\s*)?$/.test(lines[start - 1])) return found;
  const sectionIndent = /^\s*/.exec(lines[start - 1])?.[0].length ?? 0;
  const wanted = new Map(keys.map((key) => [JSON.stringify(key).slice(1, -1), key]));
  let indent: number | undefined;
  for (let i = start; i < lines.length && found.size < keys.length; i++) {
    const match = /^(\s*)"((?:[^"\\]|\\.)*)"\s*:/.exec(lines[i]);
    const closing = /^(\s*)[}\]]/.exec(lines[i]);
    if (closing && closing[1].length <= sectionIndent) break;
    if (!match) continue;
    if (match[1].length <= sectionIndent) break;
    indent ??= match[1].length;
    const key = wanted.get(match[2]);
    if (match[1].length === indent && key !== undefined && !found.has(key)) found.set(key, i + 1);
  }
  return found;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
