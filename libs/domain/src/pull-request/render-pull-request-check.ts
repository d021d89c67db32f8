import type { CheckAnnotation, PullRequestCheckReport } from './pull-request-check-publisher.port';
import { conclusionOf, type PullRequestComparison, type PullRequestFinding } from './pull-request-check';

export const CHECK_NAME = 'RepoGuard';
/** GitHub refuses a summary longer than this. */
export const MAX_CHECK_SUMMARY = 65_535;

export interface RenderCheckOptions {
  readonly checkId: string;
  readonly headSha: string;
  readonly detailsUrl: string | null;
  /** Check runs offer the "Accept risk" action; commit statuses cannot. */
  readonly actions: boolean;
}

const label = (f: PullRequestFinding) => `${f.packageName}@${f.version}`;

function row(f: PullRequestFinding): string {
  const fix = f.fixedIn ? `fixed in ${f.fixedIn}` : 'no fix yet';
  return `| ${f.severity} | ${f.vulnerabilityId} | ${label(f)} | ${f.manifestPath}${f.line ? `:${f.line}` : ''} | ${fix} |`;
}

function table(findings: readonly PullRequestFinding[]): string[] {
  return [
    '| Severity | Advisory | Package | Manifest | Fix |',
    '| --- | --- | --- | --- | --- |',
    ...findings.map(row),
  ];
}

/** The check GitHub shows for a finished comparison. */
export function renderPullRequestCheck(
  comparison: PullRequestComparison,
  options: RenderCheckOptions,
): PullRequestCheckReport {
  const conclusion = conclusionOf(comparison.status);
  const { introduced, resolved, accepted } = comparison;
  const counted = introduced.length - accepted.length;
  const title =
    comparison.manifestsChanged.length === 0
      ? 'No dependency changes'
      : `${counted} new vulnerabilit${counted === 1 ? 'y' : 'ies'}, ${resolved.length} resolved`;
  const lines: string[] = [`**${comparison.status}**: ${title}.`, ''];
  if (introduced.length > 0) lines.push('### Introduced by this pull request', '', ...table(introduced), '');
  if (accepted.length > 0) lines.push('### Accepted risks', '', ...table(accepted), '');
  if (resolved.length > 0) lines.push('### Resolved by this pull request', '', ...table(resolved), '');
  if (comparison.reasons.length > 0)
    lines.push('### Policy', '', ...comparison.reasons.map((r) => `- ${r}`), '');
  let summary = lines.join('\n');
  if (summary.length > MAX_CHECK_SUMMARY)
    summary = `${summary.slice(0, MAX_CHECK_SUMMARY - 20)}\n\n…(truncated)`;
  const annotations: CheckAnnotation[] = introduced
    .filter((f) => f.line !== null)
    .map((f) => ({
      path: f.manifestPath,
      startLine: f.line!,
      endLine: f.line!,
      level: conclusion === 'failure' ? 'failure' : 'warning',
      title: `${f.vulnerabilityId} (${f.severity}) in ${label(f)}`,
      message: `${f.summary ?? f.vulnerabilityId}${f.fixedIn ? `; fixed in ${f.fixedIn}` : ''}`,
    }));
  return {
    name: CHECK_NAME,
    headSha: options.headSha,
    status: 'completed',
    conclusion,
    title,
    summary,
    annotations,
    detailsUrl: options.detailsUrl,
    externalId: options.checkId,
    offerAcceptRisk: options.actions && counted > 0,
  };
}
