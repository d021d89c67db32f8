import type { AdvisoryDiagnosticsReport } from '@repoguard/contract';

/** Lines saying which advisory events could not be read as written and what was done instead. */
export function advisoryDiagnosticLines(diagnostics: AdvisoryDiagnosticsReport): string[] {
  if (diagnostics.total === 0) return [];
  const rules = Object.entries(diagnostics.byRule)
    .map(([rule, count]) => `${rule} ${count}`)
    .join(', ');
  const lines = [
    `  ${diagnostics.total} advisory range events in ${diagnostics.advisories} advisories not readable as written (${rules}):`,
    ...diagnostics.sample.map(
      (d) =>
        `  ${d.advisoryId} ${d.ecosystem}/${d.package} ${d.event} ${JSON.stringify(d.value)}: ${d.rule}` +
        (d.readAs.length > 0 ? ` (read as ${d.readAs.join(', ')})` : ''),
    ),
  ];
  if (diagnostics.total > diagnostics.sample.length)
    lines.push(`  … and ${diagnostics.total - diagnostics.sample.length} more`);
  return lines;
}
