import type { DiagnosticSeverity, ManifestDiagnostic, ManifestParseResult } from './manifest.types';
import { isUnreadDiagnostic } from './unread-diagnostic';

/**
 * Diagnostics are stored with the snapshot and shown in the API and `repoguard check`: a crafted
 * manifest could otherwise produce one per line, each echoing a 64 K line, and store megabytes.
 */
export const MAX_DIAGNOSTICS_PER_MANIFEST = 100;
export const MAX_DIAGNOSTIC_MESSAGE_CHARS = 500;

/**
 * The result with at most `MAX_DIAGNOSTICS_PER_MANIFEST` diagnostics, the first ones in order,
 * then one DIAGNOSTICS_TRUNCATED saying how many were left out; each message cut to
 * `MAX_DIAGNOSTIC_MESSAGE_CHARS` characters (an ellipsis marking the cut). Dependencies are kept as they are.
 */
export function capDiagnostics(result: ManifestParseResult): ManifestParseResult {
  const { diagnostics } = result;
  const needsCut = diagnostics.some((d) => d.message.length > MAX_DIAGNOSTIC_MESSAGE_CHARS);
  if (diagnostics.length <= MAX_DIAGNOSTICS_PER_MANIFEST && !needsCut) return result;
  const kept = diagnostics.slice(0, MAX_DIAGNOSTICS_PER_MANIFEST).map(shortenMessage);
  const omitted = diagnostics.length - kept.length;
  if (omitted > 0)
    kept.push({
      severity: worst(diagnostics.slice(kept.length)),
      code: 'DIAGNOSTICS_TRUNCATED',
      message: `${omitted} more diagnostics were left out (at most ${MAX_DIAGNOSTICS_PER_MANIFEST} are kept per manifest)`,
    });
  return { ...result, diagnostics: kept };
}

function shortenMessage(diagnostic: ManifestDiagnostic): ManifestDiagnostic {
  if (diagnostic.message.length <= MAX_DIAGNOSTIC_MESSAGE_CHARS) return diagnostic;
  let message = diagnostic.message.slice(0, MAX_DIAGNOSTIC_MESSAGE_CHARS - 1);
  // Half a surrogate pair would be stored as U+FFFD.
  if (/[\uD800-\uDBFF]$/.test(message)) message = message.slice(0, -1);
  return { ...diagnostic, message: `${message}…` };
}

const RANK: Record<DiagnosticSeverity, number> = { info: 0, warning: 1, error: 2 };

/**
 * The summary is as severe as the worst diagnostic it stands for, so no error goes unseen; one
 * that left part of the file unread counts as an error, so the snapshot stays incomplete.
 */
function worst(diagnostics: readonly ManifestDiagnostic[]): DiagnosticSeverity {
  if (diagnostics.some(isUnreadDiagnostic)) return 'error';
  return diagnostics.reduce<DiagnosticSeverity>(
    (worstSoFar, d) => (RANK[d.severity] > RANK[worstSoFar] ? d.severity : worstSoFar),
    'info',
  );
}
