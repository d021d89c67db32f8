import type { CheckAnnotation, PullRequestCheckReport } from './pull-request-check-publisher.port';
import { conclusionOf, type PullRequestComparison, type PullRequestFinding } from './pull-request-check';
import type { RiskAcceptance } from './risk-acceptance';

export const CHECK_NAME = 'RepoGuard';
/** GitHub refuses a summary longer than this. */
export const MAX_CHECK_SUMMARY = 65_535;
/** GitHub's limits on an annotation: its title in characters, its message in bytes. */
export const MAX_ANNOTATION_TITLE = 255;
export const MAX_ANNOTATION_MESSAGE_BYTES = 64 * 1024;
/** An advisory summary in a table cell: enough to recognise it, the rest is behind the link. */
const MAX_CELL_SUMMARY = 160;
// Room kept under GitHub's limit for the note that says how much was left out.
const TRUNCATION_RESERVE = 200;

export interface RenderCheckOptions {
  readonly checkId: string;
  readonly headSha: string;
  readonly detailsUrl: string | null;
  /** Check runs offer the "Accept risk" action; commit statuses cannot. */
  readonly actions: boolean;
  /** The acceptances in force, so accepted risks show until when; optional. */
  readonly acceptances?: readonly Pick<
    RiskAcceptance,
    'vulnerabilityId' | 'ecosystem' | 'packageName' | 'expiresAt'
  >[];
}

const keyOf = (f: Pick<PullRequestFinding, 'vulnerabilityId' | 'ecosystem' | 'packageName'>) =>
  JSON.stringify([f.vulnerabilityId, f.ecosystem, f.packageName]);

/**
 * Attacker-written text made safe to show anywhere, markdown or not: bidi overrides and zero-width
 * characters (Unicode format characters) are dropped, as they make text read other than it is, and
 * bare URLs are broken with a zero-width joiner inside `://` and after `www`, as GitHub would
 * otherwise auto-link them (in summaries and annotations alike).
 */
export function defang(text: string): string {
  return (
    text
      .replace(/\p{Cf}/gu, '')
      // Every scheme: GitHub links http(s) and more, and each needs a literal `://`.
      .replace(/:\/\//g, ':\u200d//')
      .replace(/\b(www)\./gi, '$1\u200d.')
  );
}

/**
 * Text from advisories, package names and paths is written by whoever published them: in a cell it
 * must stay text. Line breaks become spaces, HTML's metacharacters entities, and every markdown
 * metacharacter (the table's `|` included) is backslash-escaped, so no link, image, code span,
 * emphasis, extra column or @mention can come out of it; then it is defanged (no auto-link).
 */
export function escapeMarkdown(text: string): string {
  return defang(
    text
      .replace(/[\r\n\u2028\u2029]+/g, ' ')
      // Other control characters (tabs, NULs, escapes) carry nothing a reader needs.
      .replace(/\p{Cc}/gu, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/[\\`*_{}[\]()#!|~@]/g, '\\$&'),
  );
}

// OSV's ids (GHSA-…, CVE-…, PYSEC-…): anything else is shown, not linked.
const ADVISORY_ID = /^[A-Z][A-Z\d]*(?:-[\w.:]+)+$/i;

function advisoryCell(id: string): string {
  if (!ADVISORY_ID.test(id) || id.length > 100) return escapeMarkdown(id);
  return `[${escapeMarkdown(id)}](https://osv.dev/vulnerability/${encodeURIComponent(id)})`;
}

function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

const label = (f: PullRequestFinding) => `${f.packageName}@${f.version}`;
const location = (f: PullRequestFinding) => `${f.manifestPath}${f.line ? `:${f.line}` : ''}`;

function row(f: PullRequestFinding, extra?: string): string {
  const fix = f.fixedIn ? `fixed in ${escapeMarkdown(f.fixedIn)}` : 'no fix yet';
  const summary = escapeMarkdown(clip(f.summary ?? '', MAX_CELL_SUMMARY));
  const cells = [
    f.severity,
    advisoryCell(f.vulnerabilityId),
    escapeMarkdown(label(f)),
    escapeMarkdown(location(f)),
    fix,
    summary,
    ...(extra !== undefined ? [extra] : []),
  ];
  return `| ${cells.join(' | ')} |`;
}

function table(findings: readonly PullRequestFinding[], extra?: (f: PullRequestFinding) => string): string[] {
  const head = ['Severity', 'Advisory', 'Package', 'Manifest', 'Fix', 'Summary', ...(extra ? ['Until'] : [])];
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => ' --- |').join('')}`,
    ...findings.map((f) => row(f, extra?.(f))),
  ];
}

/** A section is its heading and lines; rows past the budget are counted, not shown. */
interface Section {
  readonly lines: readonly string[];
  /** Lines (from the start) that must stay together: heading and table head. */
  readonly head: number;
}

/** The sections in order, cut at a whole line so the summary stays under GitHub's limit. */
function fit(intro: string, sections: readonly Section[], detailsUrl: string | null): string {
  const budget = MAX_CHECK_SUMMARY - TRUNCATION_RESERVE;
  const out: string[] = [intro, ''];
  let length = intro.length + 1;
  let omitted = 0;
  const push = (line: string) => {
    out.push(line);
    length += line.length + 1;
  };
  for (const { lines, head } of sections) {
    const rows = lines.slice(head);
    const headLength = lines.slice(0, head).join('\n').length + 1;
    if (omitted > 0 || length + headLength > budget) {
      omitted += rows.filter((line) => line !== '').length;
      continue;
    }
    lines.slice(0, head).forEach(push);
    for (const line of rows) {
      if (omitted === 0 && length + line.length + 1 <= budget) push(line);
      else if (line !== '') omitted += 1;
    }
  }
  if (omitted > 0) {
    const where = detailsUrl ? ` (all of them: ${detailsUrl.slice(0, 120)})` : '';
    out.push('', `…and ${omitted} more not shown${where}.`);
  }
  return out.join('\n');
}

/** The check GitHub shows for a finished comparison. */
export function renderPullRequestCheck(
  comparison: PullRequestComparison,
  options: RenderCheckOptions,
): PullRequestCheckReport {
  const conclusion = conclusionOf(comparison.status);
  const { introduced, resolved, accepted } = comparison;
  const acceptedKeys = new Set(accepted.map(keyOf));
  const counted = introduced.filter((f) => !acceptedKeys.has(keyOf(f)));
  const unread = comparison.incomplete.length;
  const title =
    comparison.manifestsChanged.length === 0
      ? 'No dependency changes'
      : `${counted.length} new vulnerabilit${counted.length === 1 ? 'y' : 'ies'}, ${resolved.length} resolved` +
        // A WARN (or FAIL) for what could not be read says so where a commit status shows it.
        (unread > 0 ? `, ${unread} manifest${unread === 1 ? '' : 's'} not read in full` : '');
  const expiries = new Map((options.acceptances ?? []).map((a) => [keyOf(a), a.expiresAt]));
  const until = (f: PullRequestFinding) => expiries.get(keyOf(f))?.toISOString().slice(0, 10) ?? 'in force';
  const sections: Section[] = [];
  const tableSection = (heading: string, lines: string[]) =>
    sections.push({ lines: [heading, '', ...lines, ''], head: 4 });
  if (counted.length > 0) tableSection('### Introduced by this pull request', table(counted));
  if (accepted.length > 0) tableSection('### Accepted risks', table(accepted, until));
  if (resolved.length > 0) tableSection('### Resolved by this pull request', table(resolved));
  if (comparison.incomplete.length > 0) {
    sections.push({
      lines: [
        '### Not read in full (the verdict is at least WARN)',
        '',
        ...comparison.incomplete.map((path) => `- ${escapeMarkdown(path)}`),
        '',
      ],
      head: 2,
    });
  }
  if (comparison.reasons.length > 0) {
    sections.push({
      lines: ['### Policy', '', ...comparison.reasons.map((r) => `- ${escapeMarkdown(r)}`), ''],
      head: 2,
    });
  }
  const summary = fit(`**${comparison.status}**: ${title}.`, sections, options.detailsUrl);
  const annotations: CheckAnnotation[] = counted.flatMap((f) =>
    f.line === null
      ? []
      : [
          {
            path: f.manifestPath,
            startLine: f.line,
            endLine: f.line,
            level: conclusion === 'failure' ? 'failure' : 'warning',
            title: clip(defang(`${f.vulnerabilityId} (${f.severity}) in ${label(f)}`), MAX_ANNOTATION_TITLE),
            message: clipBytes(
              defang(
                `${f.summary ?? f.vulnerabilityId}${f.fixedIn ? `; fixed in ${f.fixedIn}` : '; no fix yet'}`,
              ),
              MAX_ANNOTATION_MESSAGE_BYTES,
            ),
          },
        ],
  );
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
    offerAcceptRisk: options.actions && counted.length > 0,
  };
}

/** At most `max` bytes of UTF-8, cut at a whole character. */
function clipBytes(text: string, max: number): string {
  const encoder = new TextEncoder();
  if (encoder.encode(text).length <= max) return text;
  let out = '';
  let bytes = 0;
  for (const char of text) {
    const size = encoder.encode(char).length;
    if (bytes + size > max - 3) break;
    out += char;
    bytes += size;
  }
  return `${out}…`;
}
