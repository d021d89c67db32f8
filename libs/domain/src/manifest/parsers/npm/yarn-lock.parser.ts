import { isObject } from '../../../shared/is-object';
import type { ManifestDiagnostic, ManifestParser, ManifestParseResult } from '../../manifest.types';
import { DependencyCollector } from './dependency-collector';
import { readLockText, shownValue } from './lock-text';
import { isExactVersion, isRegistryTarball, isSourceRange, splitDescriptor } from './npm-package-source';
import { parseYarnClassicLockfile } from './yarn-classic-lockfile';
import { YamlLockDocument } from './yaml-lock-document';

// Berry lock file versions: 4 (Yarn 2), 5-6 (Yarn 3), 7-8 (Yarn 4).
const KNOWN_BERRY_VERSIONS = new Set(['3', '4', '5', '6', '7', '8']);

type Located = { line: number } | Record<string, never>;

function at(line: number | undefined): Located {
  return line === undefined ? {} : { line };
}

function unresolvable(subject: string, reason: string, line: number | undefined): ManifestDiagnostic {
  return {
    severity: 'warning',
    code: 'UNRESOLVABLE',
    message: `${subject}: ${reason}; it was skipped`,
    ...at(line),
  };
}

/** Name and range a yarn v1 descriptor asks for; `foo@npm:bar@^1` asks for bar. */
function classicTarget(descriptor: string): { name: string; range: string } {
  const parts = splitDescriptor(descriptor) ?? { name: descriptor, range: '' };
  if (!parts.range.startsWith('npm:')) return parts;
  const aliased = parts.range.slice('npm:'.length);
  return splitDescriptor(aliased) ?? { name: parts.name, range: aliased };
}

function readClassic(path: string, source: string): ManifestParseResult {
  const { entries, diagnostics } = parseYarnClassicLockfile(source);
  const collector = new DependencyCollector(path);
  for (const entry of entries) {
    const targets = entry.descriptors.map(classicTarget);
    const { name } = targets[0] as { name: string };
    const version = entry.fields.get('version');
    if (version === undefined || version === '') {
      diagnostics.push({
        severity: 'warning',
        code: 'MISSING_FIELD',
        message: `${entry.descriptors.join(', ')} has no version; it was skipped`,
        line: entry.line,
      });
      continue;
    }
    const resolved = entry.fields.get('resolved');
    const source = targets.find((target) => isSourceRange(target.range));
    if (source) {
      diagnostics.push(
        unresolvable(`${name}@${version}`, `it comes from ${source.range}, not from a registry`, entry.line),
      );
    } else if (resolved !== undefined && !isRegistryTarball(resolved)) {
      diagnostics.push(
        unresolvable(`${name}@${version}`, `it comes from ${resolved}, not from a registry`, entry.line),
      );
    } else if (!isExactVersion(version)) {
      diagnostics.push(unresolvable(name, `"${version}" is not a registry version`, entry.line));
    } else {
      // yarn.lock records neither who asked for a package nor whether for development.
      collector.add({ name, version, scope: 'runtime', direct: false, line: entry.line });
    }
  }
  return { dependencies: collector.toArray(), diagnostics };
}

type BerryTarget =
  | { kind: 'registry'; name: string; version: string }
  | { kind: 'workspace' }
  | { kind: 'source'; name: string; reference: string };

/**
 * What a berry resolution (`name@protocol:reference`) points at. A patched package
 * (`resolve@patch:resolve@npm%3A1.22.8#...`) is still its base package's code.
 */
function berryTarget(resolution: string, depth = 0): BerryTarget {
  const { name, range: reference } = splitDescriptor(resolution) ?? { name: resolution, range: '' };
  if (reference.startsWith('workspace:')) return { kind: 'workspace' };
  if (reference.startsWith('npm:')) {
    const version = reference.slice('npm:'.length);
    const alias = splitDescriptor(version);
    return alias
      ? { kind: 'registry', name: alias.name, version: alias.range }
      : { kind: 'registry', name, version };
  }
  if (reference.startsWith('patch:') && depth === 0) {
    const base = reference.slice('patch:'.length).split('#')[0] as string;
    let decoded: string;
    try {
      decoded = decodeURIComponent(base);
    } catch {
      return { kind: 'source', name, reference };
    }
    // Yarn 2 wrote the base without a protocol: `resolve@1.20.0`.
    const plain = splitDescriptor(decoded);
    if (plain && isExactVersion(plain.range))
      return { kind: 'registry', name: plain.name, version: plain.range };
    return berryTarget(decoded, depth + 1);
  }
  // link:, portal:, file:, exec:, git and tarball URLs; `::locator=...` only says who asked.
  return { kind: 'source', name, reference: reference.split('::')[0] as string };
}

function readBerry(path: string, source: string): ManifestParseResult {
  const document = YamlLockDocument.parse(source, path);
  const diagnostics = [...document.diagnostics];
  const collector = new DependencyCollector(path);

  for (const { key, value, line } of document.entries()) {
    if (key === '__metadata') {
      const version = isObject(value) ? value['version'] : undefined;
      if (typeof version !== 'string' || !KNOWN_BERRY_VERSIONS.has(version)) {
        diagnostics.push({
          severity: 'warning',
          code: 'UNSUPPORTED_VERSION',
          message: `yarn lock file version ${shownValue(version)} is not one RepoGuard knows (4-8); it was read as version 8`,
          ...at(line),
        });
      }
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      diagnostics.push({
        severity: 'warning',
        code: 'INVALID_SYNTAX',
        message: `entry "${key}" is not a mapping; it was skipped`,
        ...at(line),
      });
      continue;
    }
    const fields = value as Record<string, unknown>;
    const resolution = fields['resolution'];
    if (typeof resolution !== 'string' || resolution === '') {
      diagnostics.push({
        severity: 'warning',
        code: 'MISSING_FIELD',
        message: `entry "${key}" has no resolution; it was skipped`,
        ...at(line),
      });
      continue;
    }
    const target = berryTarget(resolution);
    if (target.kind === 'workspace') continue;
    if (target.kind === 'source') {
      diagnostics.push(
        unresolvable(target.name, `it comes from ${target.reference}, not from a registry`, line),
      );
    } else if (!isExactVersion(target.version)) {
      diagnostics.push(unresolvable(target.name, `"${target.version}" is not a registry version`, line));
    } else {
      collector.add({ name: target.name, version: target.version, scope: 'runtime', direct: false, line });
    }
  }
  return { dependencies: collector.toArray(), diagnostics };
}

/**
 * `yarn.lock` of Yarn 1 (its own indented format) and of Yarn 2+ ("berry", YAML with a
 * `__metadata` block). Several ranges resolved to one version give one dependency. The file
 * records neither dev nor direct dependencies: all are runtime and indirect.
 */
export const yarnLockParser: ManifestParser = {
  id: 'yarn-lock',
  ecosystem: 'npm',
  parse(path, text) {
    const lockText = readLockText(path, text);
    if (!lockText.ok) return lockText.result;
    const { source } = lockText;
    return /^__metadata:/m.test(source) ? readBerry(path, source) : readClassic(path, source);
  },
};
