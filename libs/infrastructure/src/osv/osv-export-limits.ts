import { ValidationError } from '@repoguard/domain';

/**
 * How much one OSV export may weigh, and which URLs it may come from. An export is data from
 * outside: a zip bomb or an endless download must end with a clear error, not an out-of-memory,
 * and an http:// URL (or a redirect to one) would let anyone on the path swap the advisories.
 */
export interface OsvExportLimits {
  /** Bytes one download may bring (the compressed export). */
  readonly maxDownloadBytes: number;
  /** Bytes all entries of one export may unzip to (what the import holds in memory). */
  readonly maxUnzippedBytes: number;
  /** Bytes one entry (one advisory's JSON) may unzip to. */
  readonly maxEntryBytes: number;
  /** Entries one export may hold. */
  readonly maxEntries: number;
  /** Read http:// URLs too; otherwise https:// only, redirects included. */
  readonly allowHttp: boolean;
}

// Real exports (OSV's bucket, 2024-25): the largest per-ecosystem all.zip is npm's, ~200k records in
// well under 1 GiB unzipped; the largest single record is far below 1 MiB.
export const DEFAULT_OSV_EXPORT_LIMITS: OsvExportLimits = {
  maxDownloadBytes: 1024 * 1024 * 1024,
  maxUnzippedBytes: 1024 * 1024 * 1024,
  maxEntryBytes: 16 * 1024 * 1024,
  maxEntries: 1_000_000,
  allowHttp: false,
};

/** The environment variables that set each limit, named in every error so operators know what to raise. */
export const OSV_EXPORT_LIMIT_VARIABLES = {
  maxDownloadBytes: 'OSV_EXPORT_MAX_DOWNLOAD_BYTES',
  maxUnzippedBytes: 'OSV_EXPORT_MAX_UNZIPPED_BYTES',
  maxEntryBytes: 'OSV_EXPORT_MAX_ENTRY_BYTES',
  maxEntries: 'OSV_EXPORT_MAX_ENTRIES',
  allowHttp: 'OSV_EXPORT_ALLOW_HTTP',
} as const satisfies Record<keyof OsvExportLimits, string>;

type SizeLimit = Exclude<keyof OsvExportLimits, 'allowHttp'>;

/** A cap was passed: reading stopped there and nothing of the export is imported. Permanent. */
export function exportTooLarge(limits: OsvExportLimits, limit: SizeLimit, what: string): ValidationError {
  const variable = OSV_EXPORT_LIMIT_VARIABLES[limit];
  const unit = limit === 'maxEntries' ? 'entries' : 'bytes';
  return new ValidationError(
    `${what} more than ${variable} (${limits[limit]} ${unit}) allows; stopped reading and imported nothing. ` +
      `If the export is genuine, raise ${variable}.`,
    [{ field: variable, problem: `exceeded (${limits[limit]} ${unit})` }],
    'ADVISORY_EXPORT_TOO_LARGE',
  );
}

/** A URL the import will not fetch: not http(s), or http:// without the operator's opt-in. */
export function sourceNotAllowed(url: URL, limits: OsvExportLimits, context = ''): ValidationError {
  const message =
    url.protocol === 'http:'
      ? `${context}http:// is refused: exports are read over https only. Set OSV_EXPORT_ALLOW_HTTP=true ` +
        `(advisories:import --allow-http) to allow http:// on a network you trust.`
      : `${context}${url.protocol} URLs are not read: only https:// ${limits.allowHttp ? 'and http:// ' : ''}exports.`;
  return new ValidationError(
    message,
    [{ field: 'source', problem: `${url.protocol} not allowed` }],
    'ADVISORY_SOURCE_NOT_ALLOWED',
  );
}
