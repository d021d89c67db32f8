/** The parts of an OSV record (https://ossf.github.io/osv-schema/) RepoGuard reads. */
export interface OsvEvent {
  readonly introduced?: string;
  readonly fixed?: string;
  readonly last_affected?: string;
  readonly limit?: string;
}

export interface OsvRange {
  readonly type: 'ECOSYSTEM' | 'SEMVER' | 'GIT' | string;
  readonly repo?: string;
  readonly events: readonly OsvEvent[];
}

export interface OsvSeverity {
  readonly type: 'CVSS_V2' | 'CVSS_V3' | 'CVSS_V4' | 'Ubuntu' | string;
  readonly score: string;
}

export interface OsvAffected {
  readonly package?: { readonly ecosystem: string; readonly name: string; readonly purl?: string };
  readonly ranges?: readonly OsvRange[];
  readonly versions?: readonly string[];
  readonly severity?: readonly OsvSeverity[];
  readonly ecosystem_specific?: Readonly<Record<string, unknown>>;
  readonly database_specific?: Readonly<Record<string, unknown>>;
}

export interface OsvReference {
  readonly type: string;
  readonly url: string;
}

export interface OsvRecord {
  readonly id: string;
  readonly schema_version?: string;
  readonly modified: string;
  readonly published?: string;
  readonly withdrawn?: string;
  readonly aliases?: readonly string[];
  readonly related?: readonly string[];
  readonly summary?: string;
  readonly details?: string;
  readonly severity?: readonly OsvSeverity[];
  readonly affected?: readonly OsvAffected[];
  readonly references?: readonly OsvReference[];
  readonly database_specific?: Readonly<Record<string, unknown>>;
}

/** A minimal structural check for records read from files or APIs; the rest is optional. */
export function isOsvRecord(value: unknown): value is OsvRecord {
  return osvRecordProblem(value) === null;
}

/**
 * Why a value is not a usable OSV record, naming its id when it has one (`GHSA-…: "modified" is
 * missing`), so an import can say which records it left out; null for a usable record.
 */
export function osvRecordProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const record = value as Record<string, unknown>;
  const id = record['id'];
  if (typeof id !== 'string' || id.trim() === '') return '"id" is missing or not a string';
  const named = (problem: string) => `${shown(id)}: ${problem}`;
  if (typeof record['modified'] !== 'string') return named('"modified" is missing or not a string');
  if (record['affected'] !== undefined && !Array.isArray(record['affected']))
    return named('"affected" is not a list');
  return null;
}

// Ids come from the file: no control characters into a terminal, and not a page of them.
function shown(id: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = id.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return clean.length > 100 ? `${clean.slice(0, 100)}…` : clean;
}
