import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type { CheckReport, ManifestCheck, Severity, VulnerabilityMatch } from '@repoguard/domain';
import cliPackage from '../../package.json';

// The parts of SARIF 2.1.0 this output uses (the full model: the OASIS schema the tests check).
type SarifLevel = 'error' | 'warning' | 'note';
interface SarifMessage {
  text: string;
  markdown?: string;
}
interface SarifLocation {
  physicalLocation: {
    artifactLocation: { uri: string; uriBaseId?: string };
    region?: { startLine: number };
  };
}
interface SarifRule {
  id: string;
  name: string;
  shortDescription: SarifMessage;
  fullDescription: SarifMessage;
  help: SarifMessage;
  helpUri: string;
  defaultConfiguration: { level: SarifLevel };
  properties: { tags: string[]; 'security-severity'?: string };
}
interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: SarifMessage;
  locations: SarifLocation[];
  partialFingerprints: Record<string, string>;
  baselineState?: 'new';
  // The schema's suppression has no `status` (accepted is what an external suppression means).
  suppressions?: { kind: 'external'; justification: string }[];
}
interface SarifNotification {
  level: SarifLevel;
  message: SarifMessage;
  descriptor: { id: string };
  locations?: SarifLocation[];
}
export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: {
    tool: { driver: { name: string; version: string; informationUri?: string; rules: SarifRule[] } };
    originalUriBaseIds: Record<string, { uri: string }>;
    invocations: {
      executionSuccessful: boolean;
      exitCode: number;
      toolExecutionNotifications: SarifNotification[];
    }[];
    results: SarifResult[];
    properties: Record<string, unknown>;
  }[];
}

const SARIF_SCHEMA =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
/** Paths in the log are relative to the directory the check ran in (the checkout, in CI). */
const SRCROOT = '%SRCROOT%';
const FINGERPRINT = 'repoguardFinding/v1';

/**
 * GitHub code scanning's `security-severity`: the CVSS score, or the middle of the band GitHub
 * maps a label to when the advisory has only a label (9.0+ critical, 7.0 high, 4.0 medium).
 */
const SEVERITY_SCORE: Partial<Record<Severity, number>> = { CRITICAL: 9.5, HIGH: 8.0, MEDIUM: 5.5, LOW: 2.0 };

export interface SarifContext {
  /** The directory manifest paths are relative to. */
  readonly cwd: string;
  readonly exitCode: number;
}

/**
 * The check as a SARIF 2.1.0 log for code scanning: one rule per advisory, one result per finding
 * on its manifest line, its level the policy's verdict on it. Diagnostics that made the check
 * incomplete are tool notifications, not results: they say what was not checked, not where a
 * vulnerability is, so they belong on the tool's status page rather than among the alerts.
 */
export function formatSarif(report: CheckReport, context: SarifContext): string {
  const levels = policyLevels(report);
  const ignored = new Map(report.evaluation.ignored.map((i) => [i.finding, i.reason]));
  const rules = new Map<string, { rule: SarifRule; index: number; fixes: Map<string, string> }>();
  const results: SarifResult[] = [];
  const baseline = report.known.length > 0;

  for (const manifest of report.results) {
    for (const finding of manifest.findings) {
      const entry = rules.get(finding.vulnerabilityId) ?? addRule(rules, finding);
      entry.fixes.set(`${finding.name}@${finding.version}`, fixText(finding));
      const key = policyKey(finding);
      const reason = ignored.get(key);
      results.push({
        ruleId: finding.vulnerabilityId,
        ruleIndex: entry.index,
        level: reason === undefined ? (levels.get(key) ?? 'note') : 'note',
        message: { text: resultMessage(finding) },
        locations: [locationOf(manifest.manifestPath, lineOf(manifest, finding))],
        partialFingerprints: { [FINGERPRINT]: fingerprint(manifest.manifestPath, finding) },
        ...(baseline ? { baselineState: 'new' as const } : {}),
        ...(reason === undefined
          ? {}
          : {
              suppressions: [{ kind: 'external' as const, justification: reason }],
            }),
      });
    }
  }
  for (const { rule, fixes } of rules.values()) {
    const text = [...fixes.values()].join('\n');
    rule.help = { text, markdown: [...fixes.values()].map((line) => `- ${line}`).join('\n') };
  }

  const log: SarifLog = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'RepoGuard',
            version: cliPackage.version,
            // The package's homepage once it has one: no address is made up here.
            ...('homepage' in cliPackage ? { informationUri: String(cliPackage.homepage) } : {}),
            rules: [...rules.values()].map((r) => r.rule),
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(context.cwd) } },
        invocations: [
          {
            executionSuccessful: report.completeness.complete,
            exitCode: context.exitCode,
            toolExecutionNotifications: notificationsOf(report),
          },
        ],
        results,
        properties: {
          status: report.evaluation.status,
          complete: report.completeness.complete,
          reasons: report.evaluation.reasons.map((r) => `${r.status} ${r.rule}: ${r.message}`),
          knownFindings: report.known.length,
        },
      },
    ],
  };
  return JSON.stringify(log, null, 2);
}

function addRule(
  rules: Map<string, { rule: SarifRule; index: number; fixes: Map<string, string> }>,
  finding: VulnerabilityMatch,
) {
  const { severity, score } = finding.severity;
  const securitySeverity = score ?? SEVERITY_SCORE[severity];
  const aliases = finding.aliases.length > 0 ? ` (${finding.aliases.join(', ')})` : '';
  const summary = finding.summary?.trim() || `${finding.vulnerabilityId}: a known vulnerability`;
  const entry = {
    index: rules.size,
    fixes: new Map<string, string>(),
    rule: {
      id: finding.vulnerabilityId,
      name: finding.vulnerabilityId,
      shortDescription: { text: truncate(summary, 1024) },
      fullDescription: {
        text: `${summary}${aliases}. Severity ${severity}${score === null ? '' : ` (CVSS ${score.toFixed(1)})`}.`,
      },
      help: { text: '' },
      helpUri: `https://osv.dev/vulnerability/${encodeURIComponent(finding.vulnerabilityId)}`,
      defaultConfiguration: { level: defaultLevel(severity) },
      properties: {
        tags: ['security', 'vulnerability', 'dependency', finding.ecosystem],
        ...(securitySeverity === undefined ? {} : { 'security-severity': securitySeverity.toFixed(1) }),
      },
    },
  };
  rules.set(finding.vulnerabilityId, entry);
  return entry;
}

/** Each finding's level from the policy: in a FAIL reason error, in a WARN reason warning. */
function policyLevels(report: CheckReport): Map<string, SarifLevel> {
  const levels = new Map<string, SarifLevel>();
  for (const reason of report.evaluation.reasons) {
    for (const key of reason.findings) {
      if (reason.status === 'FAIL') levels.set(key, 'error');
      else if (!levels.has(key)) levels.set(key, 'warning');
    }
  }
  return levels;
}

/** The policy's name for a finding (evaluate-policy's findingKey). */
const policyKey = (f: VulnerabilityMatch) => `${f.vulnerabilityId}@${f.ecosystem}/${f.name}@${f.version}`;

function defaultLevel(severity: Severity): SarifLevel {
  if (severity === 'CRITICAL' || severity === 'HIGH') return 'error';
  return severity === 'MEDIUM' ? 'warning' : 'note';
}

function fixText(f: VulnerabilityMatch): string {
  return f.fixedVersions.length > 0
    ? `Upgrade ${f.name} from ${f.version} to ${f.fixedVersions.join(' or ')} or later.`
    : `No fixed version of ${f.name} is known for ${f.version}: remove or replace it.`;
}

function resultMessage(f: VulnerabilityMatch): string {
  const fixed =
    f.fixedVersions.length > 0 ? `fixed in ${f.fixedVersions.join(', ')}` : 'no fixed version known';
  return `${f.name}@${f.version} (${f.ecosystem}) is affected by ${f.vulnerabilityId} (${f.severity.severity}): ${truncate(f.summary ?? 'a known vulnerability', 300)}; ${fixed}.`;
}

/** The manifest line that declares the package, where its parser knows it. */
function lineOf(manifest: ManifestCheck, f: VulnerabilityMatch): number | undefined {
  return manifest.dependencies.find(
    (d) =>
      d.ecosystem === f.ecosystem && d.name === f.name && d.version === f.version && d.line !== undefined,
  )?.line;
}

function locationOf(manifestPath: string, line: number | undefined): SarifLocation {
  return {
    physicalLocation: {
      artifactLocation: artifactOf(manifestPath),
      ...(line !== undefined && line >= 1 ? { region: { startLine: line } } : {}),
    },
  };
}

/** Relative paths against %SRCROOT%, URI-encoded; one outside the working directory as a file URI. */
function artifactOf(manifestPath: string): { uri: string; uriBaseId?: string } {
  if (manifestPath.startsWith('/')) return { uri: pathToFileURL(manifestPath).href };
  return { uri: manifestPath.split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

function directoryUri(dir: string): string {
  const href = pathToFileURL(dir).href;
  return href.endsWith('/') ? href : `${href}/`;
}

/**
 * Stable across runs, and across edits that move the line or bump the version within the same
 * advisory: the same identity a baseline uses (manifest, package, vulnerability).
 */
function fingerprint(manifestPath: string, f: VulnerabilityMatch): string {
  return createHash('sha256')
    .update(JSON.stringify([manifestPath, f.ecosystem, f.name, f.vulnerabilityId]))
    .digest('hex');
}

function notificationsOf(report: CheckReport): SarifNotification[] {
  const notifications: SarifNotification[] = [];
  for (const manifest of report.results) {
    for (const d of manifest.diagnostics) {
      if (d.severity === 'info') continue;
      notifications.push({
        level: d.severity === 'error' ? 'error' : 'warning',
        message: { text: d.message },
        descriptor: { id: d.code },
        locations: [locationOf(manifest.manifestPath, d.line)],
      });
    }
  }
  for (const d of report.completeness.diagnostics) {
    if (d.path !== null) continue;
    notifications.push({ level: 'error', message: { text: d.message }, descriptor: { id: d.code } });
  }
  return notifications;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
