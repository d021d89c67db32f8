import { compareText, describeIncompleteness, SEVERITIES, type CheckReport } from '@repoguard/domain';
import { CHECK_JSON_FORMAT_VERSION } from './check-baseline.args';

/**
 * What a CI step reads without walking the results: manifests checked, dependencies matched
 * (`packages_scanned`, one per manifest entry) and findings, in total and by severity (every
 * severity present, zeros included, so a reader need not guess a missing key).
 */
export function summaryOf(report: CheckReport) {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s.toLowerCase(), 0])) as Record<
    Lowercase<(typeof SEVERITIES)[number]>,
    number
  >;
  let packages = 0;
  for (const result of report.results) {
    packages += result.dependencies.length;
    for (const finding of result.findings) {
      bySeverity[finding.severity.severity.toLowerCase() as keyof typeof bySeverity] += 1;
    }
  }
  const total = Object.values(bySeverity).reduce((sum, n) => sum + n, 0);
  return {
    manifests: report.results.length,
    packages_scanned: packages,
    findings_total: total,
    by_severity: bySeverity,
  };
}

/**
 * The JSON document CI tools read: stable snake_case keys. It is also what --baseline reads, so
 * it carries the findings a baseline left out too (`baseline.findings`): a run's output is a
 * complete baseline for the next.
 */
export function formatJson(report: CheckReport, context: { baseline: boolean }): string {
  const document = {
    format_version: CHECK_JSON_FORMAT_VERSION,
    status: report.evaluation.status,
    // Incomplete: a manifest was not read in full, or none was found (exit code 3 unless FAIL).
    complete: report.completeness.complete,
    // As a scan's answer shows them: every key present, `line` null where none applies.
    diagnostics: report.completeness.diagnostics.map((d) => ({
      path: d.path,
      code: d.code,
      message: d.message,
      line: d.line ?? null,
    })),
    reasons: report.evaluation.reasons,
    ignored: report.evaluation.ignored,
    summary: summaryOf(report),
    // Null without --baseline; with it, the findings it already had, left out of results and verdict.
    baseline: context.baseline
      ? {
          known: report.known.length,
          findings: report.known.map((f) => ({
            manifest_path: f.manifestPath,
            ecosystem: f.ecosystem,
            name: f.name,
            vulnerability_id: f.vulnerabilityId,
            aliases: f.aliases,
          })),
        }
      : null,
    results: report.results.map((r) => ({
      manifest_path: r.manifestPath,
      parser: r.parserId,
      dependencies: r.dependencies.map((d) => ({
        ecosystem: d.ecosystem,
        name: d.name,
        version: d.version,
        ...(d.specifier !== undefined ? { specifier: d.specifier } : {}),
        scope: d.scope,
        direct: d.direct,
        ...(d.line !== undefined ? { line: d.line } : {}),
      })),
      diagnostics: r.diagnostics,
      findings: r.findings.map((f) => ({
        ecosystem: f.ecosystem,
        name: f.name,
        version: f.version,
        vulnerability_id: f.vulnerabilityId,
        aliases: f.aliases,
        summary: f.summary,
        severity: f.severity.severity,
        cvss_score: f.severity.score,
        cvss_vector: f.severity.vector,
        fixed_versions: f.fixedVersions,
      })),
    })),
  };
  return JSON.stringify(document, null, 2);
}

const SEVERITY_ORDER = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'];

/** A table a person reads in a CI log: one block per manifest, then the verdict and why. */
export function formatTable(report: CheckReport, context: { advisories: number; baseline: boolean }): string {
  const lines: string[] = [];
  let dependencyCount = 0;
  let findingCount = 0;
  for (const result of report.results) {
    dependencyCount += result.dependencies.length;
    findingCount += result.findings.length;
    const problems = result.diagnostics.filter((d) => d.severity !== 'info');
    const errors = problems.filter((d) => d.severity === 'error').length;
    const warnings = problems.length - errors;
    lines.push(
      `${result.manifestPath} (${result.parserId}): ${plural(result.dependencies.length, 'dependency', 'dependencies')}, ` +
        `${plural(result.findings.length, 'vulnerability', 'vulnerabilities')}` +
        (errors ? `, ${plural(errors, 'error', 'errors')}` : '') +
        (warnings ? `, ${plural(warnings, 'warning', 'warnings')}` : ''),
    );
    const findings = [...result.findings].sort(
      (a, b) =>
        SEVERITY_ORDER.indexOf(a.severity.severity) - SEVERITY_ORDER.indexOf(b.severity.severity) ||
        compareText(a.name, b.name) ||
        compareText(a.vulnerabilityId, b.vulnerabilityId),
    );
    if (findings.length > 0) {
      lines.push(
        ...table(
          ['SEVERITY', 'PACKAGE', 'VERSION', 'VULNERABILITY', 'FIXED IN', 'ALIASES'],
          findings.map((f) => [
            f.severity.score !== null
              ? `${f.severity.severity} ${f.severity.score.toFixed(1)}`
              : f.severity.severity,
            f.name,
            f.version,
            f.vulnerabilityId,
            f.fixedVersions.join(', ') || '-',
            truncate(f.aliases.join(', '), 48) || '-',
          ]),
        ).map((l) => `  ${l}`),
      );
    }
    for (const d of problems) {
      lines.push(
        `  ${d.severity === 'error' ? 'error' : 'warning'}${d.line ? ` (line ${d.line})` : ''}: ${d.code} ${d.message}`,
      );
    }
    lines.push('');
  }
  if (report.results.length === 0) lines.push('No dependency manifests found.', '');

  const { status, reasons, ignored } = report.evaluation;
  lines.push(
    `Checked ${plural(report.results.length, 'manifest', 'manifests')}, ${plural(dependencyCount, 'dependency', 'dependencies')} ` +
      `against ${plural(context.advisories, 'advisory', 'advisories')}: ${plural(findingCount, context.baseline ? 'new vulnerability' : 'vulnerability', context.baseline ? 'new vulnerabilities' : 'vulnerabilities')}.`,
  );
  if (context.baseline) {
    lines.push(
      `Baseline: ${plural(report.known.length, 'known finding', 'known findings')} left out (not judged by the policy).`,
    );
  }
  if (!report.completeness.complete) lines.push(`INCOMPLETE: ${describeIncompleteness(report.completeness)}`);
  lines.push(`Policy: ${status}`);
  for (const reason of reasons) lines.push(`  ${reason.status} ${reason.rule}: ${reason.message}`);
  if (ignored.length > 0) lines.push(`  ${plural(ignored.length, 'finding', 'findings')} ignored by policy`);
  return lines.join('\n');
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const render = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [render(header), ...rows.map(render)];
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
