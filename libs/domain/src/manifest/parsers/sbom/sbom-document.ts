import type { DependencyHash, DependencyScope, ManifestDiagnostic } from '../../manifest.types';

export type SbomDocumentFormat = 'cyclonedx-json' | 'cyclonedx-xml' | 'spdx-json';

/**
 * Components read from one document, nested ones included. Past it the rest is not read (an error
 * diagnostic, so the snapshot is incomplete) and an upload is refused: a real SBOM of a large
 * container image lists a few thousand.
 */
export const MAX_SBOM_COMPONENTS = 50_000;
/** CycloneDX `components[].components` nested deeper than this are not read. */
export const MAX_COMPONENT_NESTING = 32;
/** JSON nesting past this refuses the document: an SBOM nests two levels per component level. */
export const MAX_SBOM_JSON_NESTING = 256;

/** The spec versions read as what they are; others are read anyway with UNSUPPORTED_VERSION. */
export const CYCLONEDX_VERSIONS: readonly string[] = ['1.2', '1.3', '1.4', '1.5', '1.6'];
export const SPDX_VERSIONS: readonly string[] = ['SPDX-2.2', 'SPDX-2.3'];

/** One component (CycloneDX) or package (SPDX) as the document states it. */
export interface SbomComponent {
  /** `bom-ref` or SPDXID, when it has one: what the dependency graph names it by. */
  readonly ref: string | undefined;
  /** As written (`group/name` for a CycloneDX component with a group). */
  readonly name: string | undefined;
  readonly version: string | undefined;
  readonly purl: string | undefined;
  /** Set by the document itself (CycloneDX `scope`, an npm development property). */
  readonly scope: DependencyScope | undefined;
  readonly hashes: readonly DependencyHash[];
  readonly licenses: readonly string[];
}

/** The part of an SBOM a scan reads, whatever its format. */
export interface SbomDocument {
  readonly format: SbomDocumentFormat;
  readonly specVersion: string;
  /** CycloneDX `serialNumber`, SPDX `documentNamespace`. */
  readonly serialNumber: string | undefined;
  /** What the document describes (CycloneDX `metadata.component`, SPDX `name` or its described package). */
  readonly root: { readonly name: string | undefined; readonly version: string | undefined };
  readonly components: readonly SbomComponent[];
  /** Refs of what the document describes: not dependencies of itself. */
  readonly rootRefs: readonly string[];
  /** ref → the refs it depends on; undefined when the document gives no graph. */
  readonly graph: ReadonlyMap<string, readonly string[]> | undefined;
  /** Scopes the graph gives (SPDX `DEV_DEPENDENCY_OF`...), by ref. */
  readonly graphScopes?: ReadonlyMap<string, DependencyScope>;
  /** What the reader skipped (nesting, count) and notes (spec version). */
  readonly diagnostics: readonly ManifestDiagnostic[];
}

/** A document, or why it could not be read at all (one error diagnostic). */
export type SbomRead = { readonly document: SbomDocument } | { readonly refused: ManifestDiagnostic };

export const refused = (message: string, line?: number): { readonly refused: ManifestDiagnostic } => ({
  refused: { severity: 'error', code: 'INVALID_SYNTAX', message, ...(line === undefined ? {} : { line }) },
});

const HASH_ALGORITHMS: ReadonlyMap<string, DependencyHash['algorithm']> = new Map([
  ['MD5', 'MD5'],
  ['SHA-1', 'SHA-1'],
  ['SHA1', 'SHA-1'],
  ['SHA-256', 'SHA-256'],
  ['SHA256', 'SHA-256'],
  ['SHA-384', 'SHA-384'],
  ['SHA384', 'SHA-384'],
  ['SHA-512', 'SHA-512'],
  ['SHA512', 'SHA-512'],
]);
const HEX_LENGTH: Record<DependencyHash['algorithm'], number> = {
  MD5: 32,
  'SHA-1': 40,
  'SHA-256': 64,
  'SHA-384': 96,
  'SHA-512': 128,
};

/** A hash in the contract's terms; undefined for another algorithm or what is not its hex digest. */
export function hashOf(algorithm: unknown, content: unknown): DependencyHash | undefined {
  if (typeof algorithm !== 'string' || typeof content !== 'string') return undefined;
  const known = HASH_ALGORITHMS.get(algorithm.trim().toUpperCase());
  if (!known) return undefined;
  const hex = content.trim().toLowerCase();
  if (hex.length !== HEX_LENGTH[known] || !/^[0-9a-f]+$/.test(hex)) return undefined;
  return { algorithm: known, content: hex };
}

/** A licence string worth keeping: SPDX's NOASSERTION and NONE say nothing. */
export function licenseOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' || trimmed === 'NOASSERTION' || trimmed === 'NONE' ? undefined : trimmed;
}

export const textOf = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

/** CycloneDX `scope`: `excluded` (not part of what ships: build or test tooling) reads as dev. */
export function cyclonedxScope(value: unknown): DependencyScope | undefined {
  if (value === 'optional') return 'optional';
  if (value === 'excluded') return 'dev';
  if (value === 'required') return 'runtime';
  return undefined;
}

/** The diagnostic for a spec version RepoGuard does not know; undefined for one it does. */
export function specVersionNote(
  path: string,
  specVersion: string,
  known: readonly string[],
): ManifestDiagnostic | undefined {
  if (known.includes(specVersion)) return undefined;
  return {
    severity: 'warning',
    code: 'UNSUPPORTED_VERSION',
    message: `${path} is ${specVersion.slice(0, 40)}; RepoGuard reads ${known.join(', ')} and read it as the nearest`,
  };
}

/** Counts components as a reader meets them, and says once when the limit stops it. */
export class ComponentBudget {
  private count = 0;
  private nestedTooDeep = 0;
  readonly diagnostics: ManifestDiagnostic[] = [];

  constructor(private readonly path: string) {}

  /** False once MAX_SBOM_COMPONENTS were taken: the reader stops. */
  take(): boolean {
    if (this.count >= MAX_SBOM_COMPONENTS) {
      if (this.count === MAX_SBOM_COMPONENTS) {
        this.count++;
        this.diagnostics.push({
          severity: 'error',
          code: 'TOO_MANY_COMPONENTS',
          message: `${this.path} lists more than ${MAX_SBOM_COMPONENTS} components; the rest were not read`,
        });
      }
      return false;
    }
    this.count++;
    return true;
  }

  /** A component whose nested components lie past MAX_COMPONENT_NESTING. */
  tooDeep(): void {
    if (this.nestedTooDeep++ === 0)
      this.diagnostics.push({
        severity: 'error',
        code: 'NESTING_LIMIT',
        message: `${this.path} nests components deeper than ${MAX_COMPONENT_NESTING} levels; those were not read`,
      });
  }

  get taken(): number {
    return Math.min(this.count, MAX_SBOM_COMPONENTS);
  }

  get exhausted(): boolean {
    return this.count > MAX_SBOM_COMPONENTS;
  }
}
