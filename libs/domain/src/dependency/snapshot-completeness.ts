import type { ManifestDiagnostic } from '../manifest/manifest.types';
import { isUnreadDiagnostic } from '../manifest/unread-diagnostic';

/** Why a scan did not read everything: one manifest's error, or no manifest at all. */
export interface ScanDiagnostic {
  /** The manifest, or null when the diagnostic is about the whole scan (NO_MANIFESTS). */
  readonly path: string | null;
  readonly code: string;
  readonly message: string;
  readonly line?: number;
}

/**
 * Whether a scan read every manifest in full. Incomplete when a manifest has a diagnostic saying
 * part of it could not be read (see `isUnreadDiagnostic`) or when there was no manifest to read,
 * since either may hide vulnerable dependencies.
 */
export interface ScanCompleteness {
  readonly complete: boolean;
  /** What made it incomplete, in manifest order; empty when complete. */
  readonly diagnostics: readonly ScanDiagnostic[];
}

export const NO_MANIFESTS = 'NO_MANIFESTS';

export const COMPLETE: ScanCompleteness = Object.freeze({ complete: true, diagnostics: [] });

export function snapshotCompleteness(
  manifests: readonly { readonly path: string; readonly diagnostics: readonly ManifestDiagnostic[] }[],
): ScanCompleteness {
  if (manifests.length === 0) {
    return {
      complete: false,
      diagnostics: [
        {
          path: null,
          code: NO_MANIFESTS,
          message: 'no dependency manifest RepoGuard reads was found, so nothing was checked',
        },
      ],
    };
  }
  const diagnostics = manifests.flatMap((manifest) =>
    manifest.diagnostics.filter(isUnreadDiagnostic).map((d): ScanDiagnostic => ({
      path: manifest.path,
      code: d.code,
      message: d.message,
      ...(d.line !== undefined ? { line: d.line } : {}),
    })),
  );
  return { complete: diagnostics.length === 0, diagnostics };
}

/**
 * The manifests whose findings a snapshot cannot judge: a finding this snapshot did not see in a
 * manifest it could not read may still be there, so it stays as it was (neither fixed nor counted).
 * `all` when nothing was read (NO_MANIFESTS: a fetch that found no manifest proves nothing about
 * the ones before it). A manifest gone from the snapshot is not here: its removal is a real fix.
 */
export interface UnreadManifests {
  readonly all: boolean;
  readonly paths: readonly string[];
}

export function unreadManifests(completeness: ScanCompleteness): UnreadManifests {
  const all = completeness.diagnostics.some((d) => d.path === null);
  const paths = [...new Set(completeness.diagnostics.flatMap((d) => (d.path === null ? [] : [d.path])))];
  return { all, paths };
}

/** One line for a verdict: how many manifests were not read in full, and the first few. */
export function describeIncompleteness(completeness: ScanCompleteness): string {
  const first = completeness.diagnostics[0];
  if (!first) return 'every manifest was read';
  if (first.code === NO_MANIFESTS) return first.message;
  const paths = [...new Set(completeness.diagnostics.map((d) => d.path))];
  const named = paths
    .slice(0, 3)
    .map((p) => {
      const d = completeness.diagnostics.find((x) => x.path === p)!;
      return `${p} (${d.code})`;
    })
    .join(', ');
  const more = paths.length > 3 ? `, and ${paths.length - 3} more` : '';
  return `${paths.length} manifest(s) could not be read in full: ${named}${more}; vulnerabilities in them may be missing`;
}
