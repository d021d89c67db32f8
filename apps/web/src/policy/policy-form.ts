import type { PolicyRules } from './policy-api';

/**
 * The policy as the form edits it: text as typed, so that a value the API refuses reaches the API
 * and its message shows next to the field (the API stays the judge of what a valid policy is).
 */
export interface PolicyForm {
  fail_on_severity: string;
  warn_on_severity: string;
  warn_on_unpinned: boolean;
  fail_on_unpinned: boolean;
  fail_on_incomplete: boolean;
  fail_on_vulnerability_ids: string;
  ignore: { id: string; reason: string; expires_at: string }[];
  max_findings: { severity: string; max: string; action: string }[];
}

export function formOf(rules: PolicyRules): PolicyForm {
  return {
    fail_on_severity: rules.fail_on_severity ?? '',
    warn_on_severity: rules.warn_on_severity ?? '',
    warn_on_unpinned: rules.warn_on_unpinned ?? false,
    fail_on_unpinned: rules.fail_on_unpinned ?? false,
    fail_on_incomplete: rules.fail_on_incomplete ?? false,
    fail_on_vulnerability_ids: (rules.fail_on_vulnerability_ids ?? []).join('\n'),
    ignore: (rules.ignore ?? []).map((r) => ({ id: r.id, reason: r.reason, expires_at: r.expires_at ?? '' })),
    max_findings: (rules.max_findings ?? []).map((r) => ({
      severity: r.severity,
      max: String(r.max),
      action: r.action,
    })),
  };
}

/** The rules to send: empty choices left out, a number typed sent as a number, anything else as typed. */
export function rulesOf(form: PolicyForm): Record<string, unknown> {
  const ids = form.fail_on_vulnerability_ids
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return {
    schema_version: 1,
    ...(form.fail_on_severity ? { fail_on_severity: form.fail_on_severity } : {}),
    ...(form.warn_on_severity ? { warn_on_severity: form.warn_on_severity } : {}),
    ...(form.warn_on_unpinned ? { warn_on_unpinned: true } : {}),
    ...(form.fail_on_unpinned ? { fail_on_unpinned: true } : {}),
    ...(form.fail_on_incomplete ? { fail_on_incomplete: true } : {}),
    ...(ids.length > 0 ? { fail_on_vulnerability_ids: ids } : {}),
    ...(form.ignore.length > 0
      ? {
          ignore: form.ignore.map((r) => ({
            id: r.id.trim(),
            reason: r.reason,
            ...(r.expires_at.trim() ? { expires_at: r.expires_at.trim() } : {}),
          })),
        }
      : {}),
    ...(form.max_findings.length > 0
      ? {
          max_findings: form.max_findings.map((r) => ({
            severity: r.severity,
            max: /^-?\d+(?:\.\d+)?$/.test(r.max.trim()) ? Number(r.max.trim()) : r.max,
            action: r.action,
          })),
        }
      : {}),
  };
}

/** `rules.ignore[0].reason` (the API's field) as the form's key, `ignore[0].reason`. */
export const formKey = (apiField: string): string => apiField.replace(/^rules\.?/, '');

/** An element id for a form key. */
export const fieldId = (key: string): string => `rule-${key.replace(/\W+/g, '-')}`;
