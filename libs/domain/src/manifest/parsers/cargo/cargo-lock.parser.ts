import { TomlError } from 'smol-toml';
import { isObject } from '../../../shared/is-object';
import { normalizePackageName } from '../../../ecosystem/package-name';
import { hexHash, withMetadata } from '../../dependency-metadata';
import type {
  DependencyRef,
  ManifestDiagnostic,
  ManifestParser,
  ParsedDependency,
} from '../../manifest.types';
import { binaryDiagnostic, looksBinary, normalizeText } from '../../manifest-text';
import { parseTomlLock } from '../toml/toml-lock-document';
import { shownValue } from '../shown-value';

// No `version` key means format 1 or 2 (Cargo before 1.53); 3 and 4 write it.
const KNOWN_VERSIONS = new Set([3, 4]);
// crates.io as a git index (every lock version) or as the sparse index (Cargo 1.68+).
const CRATES_IO_SOURCES = new Set([
  'registry+https://github.com/rust-lang/crates.io-index',
  'sparse+https://index.crates.io/',
]);

interface LockedCrate {
  readonly name: string;
  readonly version: string;
  readonly source: unknown;
}

/**
 * Resolves `dependencies` entries as Cargo writes them: `name` when the lock has one package of
 * that name, else `name version`, or `name version (source)` (always, in format 1).
 */
class CrateGraph {
  private readonly countByName = new Map<string, number>();
  private readonly checked = new Map<string, DependencyRef>();

  constructor(all: readonly LockedCrate[]) {
    for (const { name } of all) this.countByName.set(name, (this.countByName.get(name) ?? 0) + 1);
  }

  /** A crate the parser kept (from crates.io), which edges may point at. */
  keep(crate: LockedCrate, ref: DependencyRef): void {
    this.checked.set(crate.name, ref);
    this.checked.set(`${crate.name} ${crate.version}`, ref);
    this.checked.set(`${crate.name} ${crate.version} (${String(crate.source)})`, ref);
  }

  edges(dependencies: unknown): DependencyRef[] {
    if (!Array.isArray(dependencies)) return [];
    const edges: DependencyRef[] = [];
    for (const entry of dependencies) {
      if (typeof entry !== 'string') continue;
      const name = entry.split(' ', 1)[0] as string;
      // A bare name stands for the only package of that name, whatever its source.
      if (name === entry && this.countByName.get(name) !== 1) continue;
      const ref = this.checked.get(entry);
      if (ref) edges.push(ref);
    }
    return edges;
  }
}

/**
 * `Cargo.lock`: every `[[package]]` that came from crates.io. The lock does not say which crates
 * the workspace asks for itself, so every one is indirect.
 */
export const cargoLockParser: ManifestParser = {
  id: 'cargo-lock',
  ecosystem: 'crates.io',
  parse(path, text) {
    if (looksBinary(text)) return { dependencies: [], diagnostics: [binaryDiagnostic(path)] };
    const normalized = normalizeText(text);
    let document: Record<string, unknown>;
    let headerLines: readonly number[];
    try {
      ({ table: document, packageLines: headerLines } = parseTomlLock(normalized));
    } catch (error) {
      const line = error instanceof TomlError ? error.line : undefined;
      const reason = (error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)).replace(
        /^Invalid TOML document: /,
        '',
      );
      return {
        dependencies: [],
        diagnostics: [
          {
            severity: 'error',
            code: 'INVALID_SYNTAX',
            message: `${path} is not valid TOML: ${reason}`,
            ...(line === undefined ? {} : { line }),
          },
        ],
      };
    }

    const diagnostics: ManifestDiagnostic[] = [];
    const lockVersion = document['version'];
    if (lockVersion !== undefined && !(typeof lockVersion === 'number' && KNOWN_VERSIONS.has(lockVersion))) {
      diagnostics.push({
        severity: 'warning',
        code: 'UNSUPPORTED_VERSION',
        message: `Cargo.lock version ${shownValue(lockVersion)} is not one RepoGuard knows (1-4); packages were read as in version 4`,
      });
    }

    const packages = document['package'];
    if (!Array.isArray(packages) || packages.length === 0) {
      diagnostics.push({
        severity: 'warning',
        code: 'MISSING_FIELD',
        message: `${path} has no [[package]] entries`,
      });
      return { dependencies: [], diagnostics };
    }

    // TOML keeps an array of tables in file order, so the n-th header is the n-th package.
    const lineOf = (index: number) =>
      headerLines.length === packages.length ? { line: headerLines[index] as number } : {};

    const dependencies: ParsedDependency[] = [];
    const kept: { dependencies: unknown; index: number }[] = [];
    const graph = new CrateGraph(
      packages.flatMap((entry: unknown) =>
        isObject(entry) && typeof entry['name'] === 'string'
          ? [{ name: entry['name'], version: String(entry['version']), source: entry['source'] }]
          : [],
      ),
    );
    // Format 1 keeps checksums apart: `"checksum name version (source)" = "<sha256>"`.
    const metadata = isObject(document['metadata']) ? document['metadata'] : {};
    packages.forEach((entry: unknown, index) => {
      const where = lineOf(index);
      const table = isObject(entry) ? entry : {};
      const { name, version, source } = table;
      const named = typeof name === 'string' && name.trim() !== '';
      if (!named || typeof version !== 'string' || version.trim() === '') {
        diagnostics.push({
          severity: 'warning',
          code: 'MISSING_FIELD',
          message: `a [[package]] entry has no ${named ? `version (${name})` : 'name'}; it was skipped`,
          ...where,
        });
        return;
      }
      // No source: a workspace member or a path dependency, both the project's own code.
      if (source === undefined) return;
      if (typeof source === 'string' && source.startsWith('git+')) {
        diagnostics.push({
          severity: 'warning',
          code: 'UNRESOLVABLE',
          message: `${name} ${version} comes from git (${source}); it has no registry version to check`,
          ...where,
        });
        return;
      }
      if (typeof source !== 'string' || !CRATES_IO_SOURCES.has(source)) {
        // Another registry's crate only shares a name with crates.io; matching it would mislead.
        diagnostics.push({
          severity: 'info',
          code: 'OTHER_REGISTRY',
          message: `${name} ${version} comes from ${shownValue(source)}, not crates.io; it was not checked`,
          ...where,
        });
        return;
      }
      const checksum = table['checksum'] ?? metadata[`checksum ${name} ${version} (${source})`];
      const crate = withMetadata(
        {
          ecosystem: 'crates.io',
          name: normalizePackageName('crates.io', name),
          version,
          scope: 'runtime',
          direct: false,
          manifestPath: path,
          ...where,
        },
        { hashes: hexHash('SHA-256', checksum) },
      );
      graph.keep({ name, version, source }, { name: crate.name, version });
      kept.push({ dependencies: table['dependencies'], index: dependencies.length });
      dependencies.push(crate);
    });
    // Edges once every crate is known: a package may depend on one listed after it.
    for (const { dependencies: listed, index } of kept) {
      const crate = dependencies[index] as ParsedDependency;
      dependencies[index] = withMetadata(crate, { dependsOn: graph.edges(listed) });
    }
    return { dependencies, diagnostics };
  },
};
