import type { Ecosystem } from '../ecosystem/ecosystem.value-object';

export type DependencyScope = 'runtime' | 'dev' | 'optional';

/** One dependency as a manifest or lock file declares it. */
export interface ParsedDependency {
  readonly ecosystem: Ecosystem;
  /** Normalised with `normalizePackageName`, as OSV spells it. */
  readonly name: string;
  /**
   * The exact version when the manifest pins one (`==1.2.3`, a lock file entry), else null.
   * Unpinned dependencies are never matched at a bound of their range.
   */
  readonly version: string | null;
  /** The requirement as written when it is not an exact pin, e.g. `>=2.0,<3`. */
  readonly specifier?: string;
  readonly scope: DependencyScope;
  /** Declared by the project itself rather than pulled in by another dependency. */
  readonly direct: boolean;
  readonly manifestPath: string;
  /** 1-based line of the declaration, where the format makes it known. */
  readonly line?: number;
  /** Integrity hashes the lock file (or SBOM) records for this exact artifact. */
  readonly hashes?: readonly DependencyHash[];
  /** Licences as the manifest, lock file or SBOM states them (SPDX ids or expressions). */
  readonly licenses?: readonly string[];
  /**
   * The packages this one depends on, where the lock file (or SBOM) gives the graph: same
   * ecosystem, resolved versions. Absent when the format does not say; empty when it has none.
   */
  readonly dependsOn?: readonly DependencyRef[];
}

/** An algorithm named as CycloneDX names it, and the digest in lower-case hex. */
export interface DependencyHash {
  readonly algorithm: 'MD5' | 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';
  readonly content: string;
}

/** Another dependency of the same manifest's ecosystem, by normalised name and exact version. */
export interface DependencyRef {
  readonly name: string;
  readonly version: string;
}

export type DiagnosticSeverity = 'info' | 'warning' | 'error';

/** What a parser skipped or could not read, and why. Parsers report; they never throw. */
export interface ManifestDiagnostic {
  readonly severity: DiagnosticSeverity;
  /** Stable, e.g. UNPINNED, UNRESOLVABLE, OPTION_IGNORED, INVALID_SYNTAX, UNSUPPORTED_VERSION. */
  readonly code: string;
  readonly message: string;
  readonly line?: number;
}

export interface ManifestParseResult {
  readonly dependencies: ParsedDependency[];
  readonly diagnostics: ManifestDiagnostic[];
}

export interface ParseOptions {
  /**
   * Resolves an include (`-r other.txt`, `-c constraints.txt`) relative to the including file's
   * path; returns its text, or undefined when it does not exist. Keeps parsers free of I/O.
   */
  readonly readInclude?: (path: string) => string | undefined | IncludeRefused;
  /** Values for `${VAR}` references; unknown ones are reported. */
  readonly env?: Readonly<Record<string, string>>;
}

/** readInclude's answer for a file it will not read: it lies outside what is being scanned. */
export interface IncludeRefused {
  /** Why, printed after the include as written; never anything read from the file. */
  readonly refused: string;
}

export interface ManifestParser {
  /** Stable id, e.g. `requirements-txt`, `package-lock-json`. */
  readonly id: string;
  /** Null for a format whose entries each name their ecosystem (an SBOM's purls). */
  readonly ecosystem: Ecosystem | null;
  parse(path: string, text: string, options?: ParseOptions): ManifestParseResult;
}
