import { ValidationError, type ErrorDetail } from '../errors';
import { isSeverity, SEVERITIES, type Severity } from '../severity/severity.value-object';

export const POLICY_SCHEMA_VERSION = 1;

export interface IgnoreRule {
  /** A vulnerability id or any of its aliases (GHSA, PYSEC, CVE...). */
  readonly id: string;
  readonly reason: string;
  /** ISO 8601; once past, the ignore stops applying. */
  readonly expires_at?: string;
}

export interface MaxFindingsRule {
  /** Counts open findings of this severity and above. */
  readonly severity: Severity;
  readonly max: number;
  readonly action: 'warn' | 'fail';
}

/** An organisation's policy: plain data, stored as versioned JSON. */
export interface PolicyRules {
  readonly schema_version: number;
  readonly fail_on_severity?: Severity;
  readonly warn_on_severity?: Severity;
  readonly warn_on_unpinned?: boolean;
  readonly fail_on_unpinned?: boolean;
  /**
   * FAIL, rather than WARN, when a scan could not read every manifest (or found none). An
   * incomplete scan is never OK: a broken lock file must not hide its vulnerabilities.
   */
  readonly fail_on_incomplete?: boolean;
  readonly fail_on_vulnerability_ids?: readonly string[];
  readonly ignore?: readonly IgnoreRule[];
  readonly max_findings?: readonly MaxFindingsRule[];
}

/** A new organisation's policy: FAIL on CRITICAL and HIGH, WARN on MEDIUM. */
export const DEFAULT_POLICY: PolicyRules = Object.freeze({
  schema_version: POLICY_SCHEMA_VERSION,
  fail_on_severity: 'HIGH',
  warn_on_severity: 'MEDIUM',
});

const KNOWN_RULES = new Set([
  'schema_version',
  'fail_on_severity',
  'warn_on_severity',
  'warn_on_unpinned',
  'fail_on_unpinned',
  'fail_on_incomplete',
  'fail_on_vulnerability_ids',
  'ignore',
  'max_findings',
]);

/**
 * Validates untrusted policy JSON. Every problem is reported at once, each naming its rule
 * (`rules.ignore[2].expires_at`), so a user fixes a policy in one round trip.
 */
export function parsePolicy(input: unknown, field = 'rules'): PolicyRules {
  const problems: ErrorDetail[] = [];
  const at = (path: string) => `${field}${path}`;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ValidationError(
      'Invalid policy: expected a JSON object of rules',
      [{ field, problem: 'must be an object' }],
      'POLICY_INVALID',
    );
  }
  const raw = input as Record<string, unknown>;
  for (const name of Object.keys(raw)) {
    if (!KNOWN_RULES.has(name)) problems.push({ field: at(`.${name}`), problem: 'is not a known rule' });
  }

  const schemaVersion = raw['schema_version'] ?? POLICY_SCHEMA_VERSION;
  if (schemaVersion !== POLICY_SCHEMA_VERSION) {
    problems.push({ field: at('.schema_version'), problem: `must be ${POLICY_SCHEMA_VERSION}` });
  }
  const severityRule = (name: string): Severity | undefined => {
    const value = raw[name];
    if (value === undefined) return undefined;
    if (typeof value === 'string' && isSeverity(value.toUpperCase()) && value.toUpperCase() !== 'UNKNOWN') {
      return value.toUpperCase() as Severity;
    }
    problems.push({ field: at(`.${name}`), problem: `must be one of ${SEVERITIES.slice(0, 4).join(', ')}` });
    return undefined;
  };
  const booleanRule = (name: string): boolean | undefined => {
    const value = raw[name];
    if (value === undefined || typeof value === 'boolean') return value;
    problems.push({ field: at(`.${name}`), problem: 'must be true or false' });
    return undefined;
  };

  const rules: {
    -readonly [K in keyof PolicyRules]: PolicyRules[K];
  } = { schema_version: POLICY_SCHEMA_VERSION };
  const fail = severityRule('fail_on_severity');
  const warn = severityRule('warn_on_severity');
  if (fail) rules.fail_on_severity = fail;
  if (warn) rules.warn_on_severity = warn;
  const warnUnpinned = booleanRule('warn_on_unpinned');
  const failUnpinned = booleanRule('fail_on_unpinned');
  if (warnUnpinned !== undefined) rules.warn_on_unpinned = warnUnpinned;
  if (failUnpinned !== undefined) rules.fail_on_unpinned = failUnpinned;
  const failIncomplete = booleanRule('fail_on_incomplete');
  if (failIncomplete !== undefined) rules.fail_on_incomplete = failIncomplete;

  const ids = raw['fail_on_vulnerability_ids'];
  if (ids !== undefined) {
    if (!Array.isArray(ids)) {
      problems.push({ field: at('.fail_on_vulnerability_ids'), problem: 'must be an array of ids' });
    } else {
      ids.forEach((id, i) => {
        if (typeof id !== 'string' || !id.trim()) {
          problems.push({
            field: at(`.fail_on_vulnerability_ids[${i}]`),
            problem: 'must be a non-empty string',
          });
        }
      });
      rules.fail_on_vulnerability_ids = ids.filter(
        (id): id is string => typeof id === 'string' && !!id.trim(),
      );
    }
  }

  const ignore = raw['ignore'];
  if (ignore !== undefined) {
    if (!Array.isArray(ignore)) {
      problems.push({ field: at('.ignore'), problem: 'must be an array of { id, reason, expires_at? }' });
    } else {
      rules.ignore = ignore.flatMap((entry: unknown, i): IgnoreRule[] => {
        const path = at(`.ignore[${i}]`);
        if (typeof entry !== 'object' || entry === null) {
          problems.push({ field: path, problem: 'must be an object { id, reason, expires_at? }' });
          return [];
        }
        const { id, reason, expires_at, ...rest } = entry as Record<string, unknown>;
        Object.keys(rest).forEach((k) =>
          problems.push({ field: `${path}.${k}`, problem: 'is not a known field' }),
        );
        let ok = true;
        if (typeof id !== 'string' || !id.trim()) {
          problems.push({ field: `${path}.id`, problem: 'must be a vulnerability id' });
          ok = false;
        }
        if (typeof reason !== 'string' || !reason.trim()) {
          problems.push({ field: `${path}.reason`, problem: 'must say why the finding is ignored' });
          ok = false;
        }
        if (
          expires_at !== undefined &&
          (typeof expires_at !== 'string' || Number.isNaN(Date.parse(expires_at)))
        ) {
          problems.push({ field: `${path}.expires_at`, problem: 'must be an ISO 8601 date-time' });
          ok = false;
        }
        if (!ok) return [];
        return [
          expires_at === undefined
            ? { id: (id as string).trim(), reason: reason as string }
            : { id: (id as string).trim(), reason: reason as string, expires_at: expires_at as string },
        ];
      });
    }
  }

  const max = raw['max_findings'];
  if (max !== undefined) {
    if (!Array.isArray(max)) {
      problems.push({ field: at('.max_findings'), problem: 'must be an array of { severity, max, action }' });
    } else {
      rules.max_findings = max.flatMap((entry: unknown, i): MaxFindingsRule[] => {
        const path = at(`.max_findings[${i}]`);
        const { severity, max: limit, action, ...rest } = (entry ?? {}) as Record<string, unknown>;
        Object.keys(rest).forEach((k) =>
          problems.push({ field: `${path}.${k}`, problem: 'is not a known field' }),
        );
        let ok = true;
        if (typeof severity !== 'string' || !isSeverity(severity.toUpperCase())) {
          problems.push({ field: `${path}.severity`, problem: `must be one of ${SEVERITIES.join(', ')}` });
          ok = false;
        }
        if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0) {
          problems.push({ field: `${path}.max`, problem: 'must be a whole number >= 0' });
          ok = false;
        }
        if (action !== 'warn' && action !== 'fail') {
          problems.push({ field: `${path}.action`, problem: 'must be "warn" or "fail"' });
          ok = false;
        }
        return ok
          ? [
              {
                severity: (severity as string).toUpperCase() as Severity,
                max: limit as number,
                action: action as 'warn' | 'fail',
              },
            ]
          : [];
      });
    }
  }

  if (problems.length > 0) {
    throw new ValidationError(
      `Invalid policy: ${problems.map((p) => `${p.field} ${p.problem}`).join('; ')}`,
      problems,
      'POLICY_INVALID',
    );
  }
  return rules;
}
